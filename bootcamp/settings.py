"""Where learners' progress and cohorts are kept: the one place that says so.

CX_PROGRESS_DB_URL: an SQLAlchemy URL (sqlite:///path or postgresql://user:password@host/db). Default: an SQLite file,
progress.db, in the folder of TRACKER_DB (.rasa/progress.db).

Standard library only: the page server (scripts/serve_web.py) imports it too.
"""

import os
from pathlib import Path

from coach.settings import PROJECT_ROOT

DB_URL_VARIABLE = "CX_PROGRESS_DB_URL"


def progress_db_url() -> str:
    """CX_PROGRESS_DB_URL, else an SQLite file beside the tracker store (TRACKER_DB), as screens.db is."""
    url = os.environ.get(DB_URL_VARIABLE, "").strip()
    if url:
        return url
    folder = Path(os.environ["TRACKER_DB"]).parent if os.environ.get("TRACKER_DB") else PROJECT_ROOT / ".rasa"
    return f"sqlite:///{folder / 'progress.db'}"
