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
