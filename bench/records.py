"""Figure files with hand-set floors (calibration/fitted.yml, calibration/judgement.yml): a script rewrites the
figures, and the `floors` block at the end, with its comments, stays as a person wrote it."""

from pathlib import Path
from typing import Dict

import yaml


def write_keeping_floors(path: Path, note: str, document: Dict) -> None:
    path = Path(path)
    floors_block = "floors: {}\n"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        start = text.find("\nfloors:")
        if start >= 0:
            floors_block = text[start + 1:]
    path.write_text(note + yaml.safe_dump(document, sort_keys=False, width=120) + floors_block, encoding="utf-8")
