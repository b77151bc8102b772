"""Check every content file without loading the embedding model: `python -m actions.validate_content`."""

import sys

from actions.coach import Content
from actions.content_files import ContentError
from actions.screening import load_recruiters, load_screening_content, load_screening_settings
from actions.settings import load_settings


def main() -> int:
    try:
        content = Content(load_settings())
        screening = load_screening_settings()
        screen_content = load_screening_content(screening.content_path)
        recruiters = load_recruiters(screening.recruiters_file, screening.extra_recruiters)
    except (ContentError, ValueError) as error:
        print(f"Content error: {error}", file=sys.stderr)
        return 1
    bank = content.bank
    per_level = ", ".join(f"{level}: {len(bank.questions_for_level(level))}" for level in bank.levels)
    print(f"Content OK: {len(bank.questions)} questions ({per_level}), {len(content.concepts)} CX concepts, "
          f"scoring parameters loaded, {len(screen_content.question_sets)} screen question sets, "
          f"{len(recruiters)} recruiters.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
