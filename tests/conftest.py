"""Shared pytest fixtures: the project root, one coach (with the real embedding model) for the whole session, and the
seed documents the originality checks compare our texts with."""

import os
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Let `pytest tests/...` import the `actions` package without PYTHONPATH.
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def coach():
    """The process-wide coach: the real content and the real all-MiniLM-L6-v2 model, loaded once per session."""
    from coach.coach import get_coach

    return get_coach()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seed documents (CX_SEEDS_DIR, default ../shared/seeds). Missing, the originality checks are skipped on a
    developer's machine and fail where CX_REQUIRE_SEEDS is set, as `make test` sets it: CI never passes unchecked."""
    directory = Path(os.environ.get("CX_SEEDS_DIR") or PROJECT_ROOT.parent / "shared" / "seeds")
    if not directory.is_dir():
        message = f"seed documents not found at {directory}; originality cannot be checked"
        if os.environ.get("CX_REQUIRE_SEEDS"):
            pytest.fail(message)
        pytest.skip(message)
    return directory


@pytest.fixture(params=["sqlite", "postgresql"])
def screens_database(request, tmp_path):
    """Where a test keeps screens: a SQLite file, then a PostgreSQL schema of its own in CX_TEST_DATABASE_URL's
    database. make test-cluster sets that variable to its cluster's PostgreSQL and CX_REQUIRE_POSTGRES; elsewhere
    there is no PostgreSQL to use, and the PostgreSQL runs are skipped."""
    if request.param == "sqlite":
        yield tmp_path / "screens.db"
        return
    import uuid

    import psycopg2

    from harness.servers import unavailable

    url = os.environ.get("CX_TEST_DATABASE_URL")
    if not url:
        unavailable("needs CX_TEST_DATABASE_URL, a PostgreSQL database (make test-cluster sets it)",
                    "CX_REQUIRE_POSTGRES")

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg2.connect(url) as admin, admin.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg2.connect(url) as admin, admin.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")
