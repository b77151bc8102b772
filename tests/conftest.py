"""Shared pytest fixtures: the project root, and one coach (with the real embedding model) for the whole session."""

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
