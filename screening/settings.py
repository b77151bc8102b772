"""Where the pre-screen keeps its screens and how it reaches Slack, from the environment: the one place that says so.

The Rasa server's Slack channel (channels/slack.py) imports `screen_database` and `slack_api_url` from here too, so
this module uses the standard library only.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple, Union

from coach.settings import PROJECT_ROOT
from database.sql import database_url

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class ScreeningSettings:
    """Where screens are kept, who may run them, and how to reach Slack. All from the environment.

    | variable | default |
    | --- | --- |
    | DATABASE_URL | (none) a postgresql:// URL: screens are kept in that database (with Rasa's conversations) |
    | SCREEN_DB | screens.db next to TRACKER_DB, else .rasa/screens.db: the SQLite file, without DATABASE_URL |
    | CX_COACH_RECRUITERS_FILE | recruiters.yml at the project root |
    | CX_COACH_RECRUITERS | (none) extra recruiter Slack ids, comma-separated |
    | SLACK_BOT_TOKEN | (none) without it screens cannot be sent |
    | SLACK_API_URL | https://slack.com/api/ |
    | SCREEN_EXPIRY_DAYS | 7: an open screen with no answer (or never started) for this long expires |
    """

    database: Union[str, Path]  # a postgresql:// URL or a SQLite file
    recruiters_file: Path
    extra_recruiters: Tuple[str, ...]
    slack_token: Optional[str]
    slack_api_url: str
    content_path: Path
    expiry_days: float = 7.0


def screen_db_path() -> Path:
    if os.environ.get("SCREEN_DB"):
        return Path(os.environ["SCREEN_DB"])
    if os.environ.get("TRACKER_DB"):
        return Path(os.environ["TRACKER_DB"]).parent / "screens.db"
    return PROJECT_ROOT / ".rasa" / "screens.db"


def screen_database() -> Union[str, Path]:
    """Where screens are kept: the PostgreSQL database of DATABASE_URL when it is set, else the SQLite file."""
    return database_url() or screen_db_path()


def slack_api_url() -> str:
    """The Slack Web API address, ending in a slash: SLACK_API_URL (tests point it at a local fake) or Slack's own."""
    url = os.environ.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    return url if url.endswith("/") else url + "/"


def expiry_days() -> float:
    """SCREEN_EXPIRY_DAYS (default 7; fractions allowed): how long an open screen may go without an answer."""
    raw = os.environ.get("SCREEN_EXPIRY_DAYS") or "7"
    try:
        days = float(raw)
    except ValueError:
        days = -1.0
    if not days > 0:
        raise ValueError(f"SCREEN_EXPIRY_DAYS must be a positive number of days, not {raw!r}")
    return days


def load_screening_settings() -> ScreeningSettings:
    content_dir = Path(os.environ.get("CX_COACH_CONTENT_DIR", PROJECT_ROOT / "content"))
    return ScreeningSettings(
        database=screen_database(),
        recruiters_file=Path(os.environ.get("CX_COACH_RECRUITERS_FILE", PROJECT_ROOT / "recruiters.yml")),
        extra_recruiters=tuple(i.strip() for i in os.environ.get("CX_COACH_RECRUITERS", "").split(",") if i.strip()),
        slack_token=os.environ.get("SLACK_BOT_TOKEN") or None,
        slack_api_url=slack_api_url(),
        content_path=content_dir / "screening.yml",
        expiry_days=expiry_days(),
    )
