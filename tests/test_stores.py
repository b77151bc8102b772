"""Where conversations and locks are kept, from the environment, and the conversation store failing loudly instead of
falling back to memory (stores/tracker_store.py, database/sql.py). No cluster here: make test-cluster runs the same
code on PostgreSQL and Redis. The Rasa parts run in the Rasa environment (RASA_PYTHON, RASA_BIN)."""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from database.sql import database_url, shown_url, wait_seconds
from harness.servers import free_port, rasa_under_test

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def rasa_python() -> str:
    rasa_bin, _ = rasa_under_test()
    return os.environ.get("RASA_PYTHON") or str(Path(rasa_bin).parent / "python")


def test_database_url_takes_postgresql_and_leaves_sqlite_to_the_files(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url() is None
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/tracker.db")  # make run's default: screens stay in SCREEN_DB
    assert database_url() is None
    monkeypatch.setenv("DATABASE_URL", "postgresql://coach:s3cret@db.internal:5432/cx")
    assert database_url() == "postgresql://coach:s3cret@db.internal:5432/cx"
    monkeypatch.setenv("DATABASE_URL", "postgres://coach:s3cret@db.internal/cx")  # SQLAlchemy does not take it
    with pytest.raises(ValueError, match="DATABASE_URL must be") as refused:
        database_url()
    assert "s3cret" not in str(refused.value) and "***" in str(refused.value)
    assert shown_url("postgresql://coach:s3cret@h:1/cx") == "postgresql://coach:***@h:1/cx"
    assert shown_url("postgresql://h/cx") == "postgresql://h/cx"


def test_the_wait_for_an_unreachable_database_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("DATABASE_WAIT_SECONDS", raising=False)
    assert wait_seconds() == 15
    monkeypatch.setenv("DATABASE_WAIT_SECONDS", "2.5")
    assert wait_seconds() == 2.5
    for wrong in ("-1", "soon"):
        monkeypatch.setenv("DATABASE_WAIT_SECONDS", wrong)
        with pytest.raises(ValueError, match="DATABASE_WAIT_SECONDS"):
            wait_seconds()


def script_defaults(**overrides: str) -> dict:
    """The store variables scripts/common.sh exports (make run, make test), given these overrides."""
    names = ("DATABASE_URL", "LOCK_STORE", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "TRACKER_DB")
    env = {key: value for key, value in os.environ.items() if key not in names}
    printed = subprocess.run(["bash", "-c", "source scripts/common.sh && printf '%s\\0' " +
                              " ".join(f'"${name}"' for name in names)],
                             cwd=PROJECT_ROOT, env={**env, **overrides}, capture_output=True, text=True, check=True)
    return dict(zip(names, printed.stdout.split("\0")))


def test_make_run_keeps_sqlite_and_the_in_memory_lock_store_by_default():
    defaults = script_defaults()
    assert defaults["DATABASE_URL"] == f"sqlite:///{PROJECT_ROOT}/.rasa/tracker.db"
    assert defaults["LOCK_STORE"] == "InMemoryLockStore" and defaults["REDIS_PASSWORD"] == ""
    assert script_defaults(TRACKER_DB="/tmp/x/t.db")["DATABASE_URL"] == "sqlite:////tmp/x/t.db"
    given = script_defaults(DATABASE_URL="postgresql://c:p@h:5/d", LOCK_STORE="RedisLockStore", REDIS_HOST="r",
                            REDIS_PORT="7")
    assert (given["DATABASE_URL"], given["LOCK_STORE"], given["REDIS_HOST"], given["REDIS_PORT"]) == \
        ("postgresql://c:p@h:5/d", "RedisLockStore", "r", "7")


# What Rasa builds from endpoints.yml with those variables, and what its stores do when the database is gone: this
# project's store raises, Rasa's own quietly answers "no such conversation" and keeps saves in memory.
STORES = r"""
import asyncio, json, os, sys
import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.events import UserUttered

out = {}
endpoints = AvailableEndpoints.read_endpoints("endpoints.yml")
store = TrackerStore.create(endpoints.tracker_store)
locks = LockStore.create(endpoints.lock_store)
out["tracker_store"] = [type(store).__name__, str(store.engine.url)]
out["lock_store"] = type(locks).__name__

dead = sa.create_engine(sys.argv[1])
async def broken_store(kind):
    agent = Agent(tracker_store=kind(domain=Domain.empty(), host=os.environ["DATABASE_URL"]))
    inner = agent.tracker_store._tracker_store
    tracker = DialogueStateTracker("someone", [])
    tracker.update(UserUttered("hello"))
    await agent.tracker_store.save(tracker)
    inner.engine, inner.sessionmaker = dead, sa.orm.session.sessionmaker(bind=dead)  # the database goes away
    outcome = {}
    try:
        found = await agent.tracker_store.retrieve("someone")
        outcome["retrieve"] = "no conversation" if found is None else "the conversation"
    except Exception as error:
        outcome["retrieve"] = type(error).__name__
    try:
        await agent.tracker_store.save(tracker)
        in_memory = await agent.tracker_store.fallback_tracker_store.retrieve("someone")
        outcome["save"] = "kept in memory" if in_memory else "saved"
    except Exception as error:
        outcome["save"] = type(error).__name__
    return outcome

out["rasa_store"] = asyncio.run(broken_store(SQLTrackerStore))
out["our_store"] = asyncio.run(broken_store(type(store)))

# A message waiting behind a ticket that is never released (its server died), its own ticket issued 0.05 s later: both
# expire between two of its one-second checks.
from rasa.core.lock_store import InMemoryLockStore as RasasLocks
async def waits(locks):
    locks.issue_ticket("someone", 1.5)  # the dead server's
    await asyncio.sleep(0.05)
    try:
        async with locks.lock("someone", lock_lifetime=1.5, wait_time_in_seconds=1):
            return "served"
    except asyncio.TimeoutError:
        return "still waiting"
async def within(locks):
    try:
        return await asyncio.wait_for(waits(locks), 6)
    except asyncio.TimeoutError:
        return "still waiting"
out["rasa_locks"], out["our_locks"] = asyncio.run(within(RasasLocks())), asyncio.run(within(locks))
print(json.dumps(out))
"""


def rasa_env(**overrides: str) -> dict:
    """What endpoints.yml needs, as make run sets it, with these changes."""
    return {**os.environ, "ACTION_PORT": str(free_port()), "LOCK_STORE": "InMemoryLockStore", "REDIS_HOST": "localhost",
            "REDIS_PORT": "6379", "REDIS_PASSWORD": "", "PYTHONPATH": str(PROJECT_ROOT),
            "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **overrides}


def run_stores_script(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    dead_url = f"postgresql://nobody:x@127.0.0.1:{free_port()}/gone"
    return subprocess.run([rasa_python(), "-W", "ignore", "-c", STORES, dead_url], cwd=PROJECT_ROOT,
                          env=rasa_env(DATABASE_URL=f"sqlite:///{tmp_path / 'tracker.db'}", DATABASE_WAIT_SECONDS="1",
                                       **env),
                          capture_output=True, text=True, timeout=300)


def test_endpoints_build_the_stores_from_the_environment_and_a_lost_database_or_a_dead_ticket_is_handled(tmp_path):
    done = run_stores_script(tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["tracker_store"] == ["CheckedSQLTrackerStore", f"sqlite:///{tmp_path / 'tracker.db'}"]
    assert found["lock_store"] == "InMemoryLockStore"
    # Rasa's own store, wrapped as Rasa wraps it, answers a lost database with a new, empty conversation and a save
    # kept in memory: this is what the project's store is there to stop.
    assert found["rasa_store"] == {"retrieve": "no conversation", "save": "kept in memory"}
    assert found["our_store"] == {"retrieve": "StoreUnavailable", "save": "StoreUnavailable"}
    # Rasa's lock store leaves such a message waiting (until the response timeout); ours serves it.
    assert (found["rasa_locks"], found["our_locks"]) == ("still waiting", "served")

    # LOCK_STORE=RedisLockStore with no Redis there: Rasa's store would only fail at the first message.
    port = free_port()
    refused = run_stores_script(tmp_path, LOCK_STORE="RedisLockStore", REDIS_HOST="127.0.0.1", REDIS_PORT=str(port))
    assert refused.returncode != 0
    assert f"cannot reach the lock store's Redis at 127.0.0.1:{port}" in refused.stderr


def test_rasa_will_not_start_when_the_conversation_store_cannot_be_reached(tmp_path):
    rasa_bin, model = rasa_under_test()
    env = rasa_env(DATABASE_WAIT_SECONDS="2", DATABASE_URL=f"postgresql://coach:s3cret@127.0.0.1:{free_port()}/cx")
    started = time.monotonic()
    done = subprocess.run([rasa_bin, "run", "--model", model, "--endpoints", "endpoints.yml", "--credentials",
                           "credentials.yml", "--port", str(free_port()), "--interface", "127.0.0.1"],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "cannot reach the conversation store postgresql://coach:***@127.0.0.1" in output
    assert "Rasa will not start without it" in output
    assert "s3cret" not in output
    assert "Rasa server is up and running" not in output
    assert time.monotonic() - started < 240
