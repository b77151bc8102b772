"""Check the coaching content without loading the embedding model: `python -m coach.validate_content`.
The pre-screen's content has its own check (`python -m screening.validate_content`); `make validate` runs both."""

import sys

from coach.coach import Content
from coach.content_files import ContentError
from coach.matching import load_judgement_model, load_statement_examples
from coach.settings import load_settings


def main() -> int:
    try:
        settings = load_settings()
        content = Content(settings)
        load_judgement_model(settings.content_dir / "judgement_model.yml")
        load_statement_examples(settings.content_dir / "statement_examples.yml")
    except (ContentError, ValueError) as error:
        print(f"Content error: {error}", file=sys.stderr)
        return 1
    bank = content.bank
    per_level = ", ".join(f"{level}: {len(bank.questions_for_level(level))}" for level in bank.levels)
    print(f"Content OK: {len(bank.questions)} questions ({per_level}), {len(content.concepts)} CX concepts, "
          "scoring parameters and judgement model loaded.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
