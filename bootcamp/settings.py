"""Where learners' progress and cohorts are kept: the one place that says so.

CX_PROGRESS_DB_URL: an SQLAlchemy URL (sqlite:///path or postgresql://user:password@host/db). Unset, the bot's
database when DATABASE_URL names a PostgreSQL one (make cluster: every server shares it), else an SQLite file,
progress.db, in the folder of TRACKER_DB (.rasa/progress.db).

No third-party import: the page server (scripts/serve_web.py) imports it too.
"""

import os
from pathlib import Path

from coach.settings import PROJECT_ROOT
from database.sql import database_url

DB_URL_VARIABLE = "CX_PROGRESS_DB_URL"


def progress_db_url() -> str:
    url = os.environ.get(DB_URL_VARIABLE, "").strip() or database_url()
    if url:
        return url
    folder = Path(os.environ["TRACKER_DB"]).parent if os.environ.get("TRACKER_DB") else PROJECT_ROOT / ".rasa"
    return f"sqlite:///{folder / 'progress.db'}"
