"""Check the pre-screen's content and the recruiter allowlist: `python -m screening.validate_content`."""

import sys

from coach.content_files import ContentError
from screening.allowlist import load_recruiters
from screening.content import load_screening_content
from screening.settings import load_screening_settings


def main() -> int:
    try:
        settings = load_screening_settings()
        content = load_screening_content(settings.content_path)
        recruiters = load_recruiters(settings.recruiters_file, settings.extra_recruiters)
    except (ContentError, ValueError) as error:
        print(f"Content error: {error}", file=sys.stderr)
        return 1
    print(f"Screening content OK: {len(content.question_sets)} screen question sets, {len(recruiters)} recruiters.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
