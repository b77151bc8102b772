"""Check every content file without loading the embedding model: `python -m actions.validate_content`."""

import sys

from actions.coach import Content
from actions.content_files import ContentError
from actions.settings import load_settings


def main() -> int:
    try:
        content = Content(load_settings())
    except ContentError as error:
        print(f"Content error: {error}", file=sys.stderr)
        return 1
    bank = content.bank
    per_level = ", ".join(f"{level}: {len(bank.questions_for_level(level))}" for level in bank.levels)
    print(f"Content OK: {len(bank.questions)} questions ({per_level}), {len(content.concepts)} CX concepts, scoring parameters loaded.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
