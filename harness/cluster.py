"""The bot on Rasa's own topology, on this machine: PostgreSQL (conversations, screens), Redis (Rasa's lock store),
several Rasa servers and several action servers behind nginx, which keeps each conversation on one Rasa server
(deploy/nginx/cx-coach.conf). `make cluster` runs it until Ctrl-C; `make test-cluster` drives it and breaks parts
of it (bench/cluster.py).

Every server listens on 127.0.0.1 on a free port; their data, logs and passwords are in one run folder. As root,
PostgreSQL runs as the `postgres` user, Redis as `redis` and nginx's workers as `www-data`, as Debian's packages run
them; otherwise everything runs as the current user. Usage:

    python -m harness.cluster --model models/<hash>.tar.gz --rasa-bin .venv/rasa/bin/rasa [--rasa-servers 2]
"""

import argparse
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from harness.servers import free_port, stop, wait_until_healthy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = PROJECT_ROOT / "deploy" / "nginx" / "cx-coach.conf"
DATABASE = "cx_coach"  # the PostgreSQL role and database


def postgres_bin() -> Path:
    """The newest PostgreSQL server installed from Debian's packages (/usr/lib/postgresql/<version>/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda path: int(path.parts[-3]))
    if not found:
        raise FileNotFoundError("PostgreSQL is not installed (apt-get install postgresql)")
    return found[-1].parent


@dataclass
class Service:
    """One server process: its name, command, log, and the user it runs as (None: ours)."""

    name: str
    command: List[str]
    log: Path
    user: Optional[str] = None
    env: Dict[str, str] = field(default_factory=dict)
    port: Optional[int] = None
    health_url: Optional[str] = None
    process: Optional[subprocess.Popen] = None

    def start(self, cwd: Path) -> None:
        # A session of its own: Ctrl-C reaches only the harness, which stops the servers in order.
        with self.log.open("a") as log:
            self.process = subprocess.Popen(self.command, cwd=cwd, env={**os.environ, **self.env}, user=self.user,
                                            group=self.user and pwd.getpwnam(self.user).pw_gid,
                                            extra_groups=[] if self.user else None, start_new_session=True,
                                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait_until_healthy(self) -> None:
        if self.health_url:
            wait_until_healthy(self.process, self.health_url, self.log)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def kill(self) -> None:
        """SIGKILL, as a crash would end it: no clean-up of any kind."""
        self.process.kill()
        self.process.wait()


class Cluster:
    def __init__(self, run_dir: Path, model: str, rasa_bin: str, rasa_servers: int = 2, action_servers: int = 2,
                 proxy_port: Optional[int] = None, web_port: Optional[int] = None,
                 actions_python: str = str(PROJECT_ROOT / ".venv" / "actions" / "bin" / "python")):
        self.run_dir = run_dir.resolve()
        self.model, self.rasa_bin, self.actions_python = model, rasa_bin, actions_python
        self.logs = self.run_dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.as_root = os.geteuid() == 0
        self.proxy_port, self.actions_port = proxy_port or free_port(), free_port()
        self.web_port = web_port
        self.postgres_port, self.redis_port = free_port(), free_port()
        self.postgres_password = self._secret("postgres-password")
        self.redis_password = self._secret("redis-password")
        self.database_url = (f"postgresql://{DATABASE}:{self.postgres_password}@127.0.0.1:{self.postgres_port}/"
                             f"{DATABASE}")
        self.postgres = self._postgres_service()
        self.redis = self._redis_service()
        self.actions = [self._action_service(i) for i in range(1, action_servers + 1)]
        self.rasa = [self._rasa_service(i) for i in range(1, rasa_servers + 1)]
        self.nginx = self._nginx_service()
        self.web = self._web_service() if web_port else None

    # --- the pieces ----------------------------------------------------------------------------------------------

    def _secret(self, name: str) -> str:
        """A password made once per run folder and kept there (readable by us only)."""
        path = self.run_dir / name
        if not path.exists():
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as secret:
                secret.write(secrets.token_urlsafe(24))
        return path.read_text().strip()

    def _own_folder(self, name: str, user: Optional[str]) -> Path:
        folder = self.run_dir / name
        folder.mkdir(exist_ok=True)
        if user and self.as_root:
            shutil.chown(folder, user, pwd.getpwnam(user).pw_gid)
        return folder

    def _postgres_service(self) -> Service:
        user = "postgres" if self.as_root else None
        self.postgres_data = self.run_dir / "postgres"
        self.postgres_socket = self._own_folder("postgres-socket", user)
        command = [str(postgres_bin() / "postgres"), "-D", str(self.postgres_data), "-p", str(self.postgres_port),
                   "-k", str(self.postgres_socket), "-c", "listen_addresses=127.0.0.1"]
        return Service("PostgreSQL", command, self.logs / "postgres.log", user)

    def _redis_service(self) -> Service:
        user = "redis" if self.as_root else None
        folder = self._own_folder("redis", user)
        config = folder / "redis.conf"
        # Only the lock store lives here: nothing to keep on disk. The password stays out of `ps`.
        config.write_text(f"bind 127.0.0.1\nport {self.redis_port}\nprotected-mode yes\nsave \"\"\nappendonly no\n"
                          f"dir {folder}\nrequirepass {self.redis_password}\n")
        config.chmod(0o600)
        if user:
            shutil.chown(config, user)
        return Service("Redis", ["redis-server", str(config)], self.logs / "redis.log", user)

    def _action_service(self, number: int) -> Service:
        port = free_port()
        return Service(f"action server {number}", [self.actions_python, "-m", "actions.server", "--port", str(port)],
                       self.logs / f"actions-{number}.log", env={**self._store_env(), "PYTHONPATH": str(PROJECT_ROOT)},
                       port=port, health_url=f"http://127.0.0.1:{port}/health")

    def _rasa_service(self, number: int) -> Service:
        port = free_port()
        # Slack as well when both of its secrets are set, as make run does.
        slack = os.environ.get("SLACK_BOT_TOKEN") and os.environ.get("SLACK_SIGNING_SECRET")
        command = [self.rasa_bin, "run", "--model", self.model, "--endpoints", "endpoints.yml", "--credentials",
                   "credentials.slack.yml" if slack else "credentials.yml", "--port", str(port),
                   "--interface", "127.0.0.1"]
        if self.web_port:
            command += ["--cors", f"http://127.0.0.1:{self.web_port}", f"http://localhost:{self.web_port}"]
        env = {**self._store_env(), "ACTION_PORT": str(self.actions_port), "PYTHONPATH": str(PROJECT_ROOT),
               "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
        return Service(f"Rasa server {number}", command, self.logs / f"rasa-{number}.log", env=env, port=port,
                       health_url=f"http://127.0.0.1:{port}/")

    def _store_env(self) -> Dict[str, str]:
        """What endpoints.yml and the action server read: the PostgreSQL database and Redis lock store."""
        return {"DATABASE_URL": self.database_url, "LOCK_STORE": "RedisLockStore", "REDIS_HOST": "127.0.0.1",
                "REDIS_PORT": str(self.redis_port), "REDIS_PASSWORD": self.redis_password}

    def _nginx_service(self) -> Service:
        user = "www-data" if self.as_root else None
        folder = self._own_folder("nginx", user)
        values = {"user_line": f"user {user};" if user else "", "run_dir": str(folder),
                  "rasa_servers": _upstream(self.rasa), "action_servers": _upstream(self.actions),
                  "proxy_port": str(self.proxy_port), "actions_port": str(self.actions_port)}
        config = re.sub(r"@(\w+)@", lambda match: values[match.group(1)], NGINX_TEMPLATE.read_text())
        (folder / "nginx.conf").write_text(config)
        command = ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log"),
                   "-g", "daemon off;"]
        return Service("nginx", command, self.logs / "nginx.log", health_url=None)

    def _web_service(self) -> Service:
        command = [sys.executable, str(PROJECT_ROOT / "scripts" / "serve_web.py"), "--port", str(self.web_port),
                   "--rasa-url", self.url]
        return Service("chat page server", command, self.logs / "web.log",
                       health_url=f"http://127.0.0.1:{self.web_port}/config.json")

    # --- starting and stopping -----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Where clients talk to the bot: nginx, in front of the Rasa servers."""
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def services(self) -> List[Service]:
        return [self.postgres, self.redis, *self.actions, *self.rasa, self.nginx] + ([self.web] if self.web else [])

    def start(self, say=print) -> None:
        self._init_postgres(say)
        self.start_postgres()
        self.redis.start(PROJECT_ROOT)
        self._wait_for_redis()
        say(f"PostgreSQL on 127.0.0.1:{self.postgres_port}, Redis on 127.0.0.1:{self.redis_port}")
        # The slow starts (the embedding model, Rasa's model) run side by side.
        for service in self.actions + self.rasa:
            say(f"Starting the {service.name} (log: {service.log})")
            service.start(PROJECT_ROOT)
        for service in self.actions + self.rasa:
            service.wait_until_healthy()
            say(f"The {service.name} is up")
        self.nginx.start(PROJECT_ROOT)
        wait_until_healthy(self.nginx.process, f"{self.url}/", self.nginx.log, deadline_seconds=30)
        if self.web:
            self.web.start(PROJECT_ROOT)
            self.web.wait_until_healthy()

    def stop(self) -> None:
        """Everything, the clients' side first, the databases last."""
        for service in reversed(self.services):
            service.stop()

    def _init_postgres(self, say) -> None:
        if (self.postgres_data / "PG_VERSION").exists():
            return
        say(f"Creating the PostgreSQL data folder {self.postgres_data}")
        user = self.postgres.user
        self._own_folder("postgres", user).chmod(0o700)
        # Over TCP every connection needs a password (scram-sha-256). The socket in a folder only the server's user
        # can enter lets that user in without one, to set up the bot's role and database.
        self.postgres_socket.chmod(0o700)
        self._as_postgres([str(postgres_bin() / "initdb"), "-D", str(self.postgres_data), "-U", "postgres",
                           "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"])
        self.start_postgres()
        for statement in (f"CREATE ROLE {DATABASE} LOGIN PASSWORD '{self.postgres_password}'",
                          f"CREATE DATABASE {DATABASE} OWNER {DATABASE}"):
            self._as_postgres([str(postgres_bin() / "psql"), "-h", str(self.postgres_socket), "-p",
                               str(self.postgres_port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                               "-q", "-c", statement])
        self.postgres.stop()

    def _as_postgres(self, command: List[str]) -> None:
        with self.postgres.log.open("a") as log:
            subprocess.run(command, user=self.postgres.user, check=True, stdout=log, stderr=subprocess.STDOUT)

    def start_postgres(self) -> None:
        self.postgres.start(PROJECT_ROOT)
        deadline = time.monotonic() + 60
        ready = [str(postgres_bin() / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.postgres_port)]
        while subprocess.run(ready).returncode != 0:
            if not self.postgres.running or time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start:\n{self.postgres.log.read_text()[-3000:]}")
            time.sleep(0.3)

    def restart_postgres(self) -> float:
        """Stop PostgreSQL (fast shutdown: every connection is cut) and start it again; the seconds it took."""
        started = time.monotonic()
        self.postgres.process.send_signal(signal.SIGINT)
        self.postgres.process.wait(timeout=60)
        self.start_postgres()
        return time.monotonic() - started

    def _wait_for_redis(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.redis_port), timeout=1).close()
                return
            except OSError:
                if not self.redis.running or time.monotonic() > deadline:
                    raise RuntimeError(f"Redis did not start:\n{self.redis.log.read_text()[-3000:]}") from None
                time.sleep(0.2)

    # --- what it uses --------------------------------------------------------------------------------------------

    def memory_mib(self) -> Dict[str, float]:
        """Resident memory of each server with its child processes (PostgreSQL's backends, nginx's workers)."""
        return {service.name: _tree_rss_kib(service.process.pid) / 1024 for service in self.services
                if service.running}


def _upstream(services: List[Service]) -> str:
    """nginx `server` lines: a server that refuses a connection is left alone for 10 s."""
    return "\n".join(f"        server 127.0.0.1:{service.port} max_fails=1 fail_timeout=10s;" for service in services)


def _tree_rss_kib(root: int) -> int:
    children: Dict[int, List[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(match.group(1)) if match else 0
    return total


def _banner(cluster: Cluster) -> str:
    servers = "\n".join(f"    {service.name}: 127.0.0.1:{service.port}, pid {service.process.pid} (log: {service.log})"
                        for service in cluster.rasa + cluster.actions)
    memory = cluster.memory_mib()
    lines = [
        "",
        f"CX Interview Coach is running as a cluster ({len(cluster.rasa)} Rasa servers, {len(cluster.actions)} action "
        "servers).",
        f"  Talk to it through nginx: {cluster.url}/webhooks/rest/webhook (REST; Slack: {cluster.url}/webhooks/slack/"
        "webhook)",
        f"    curl -s {cluster.url}/webhooks/rest/webhook -H 'Content-Type: application/json' "
        "-d '{\"sender\":\"me\",\"message\":\"hi\"}'",
    ]
    if cluster.web:
        lines.append(f"  Chat page: http://127.0.0.1:{cluster.web_port}/")
    lines += [
        f"  Conversations and screens: PostgreSQL {cluster.database_url.replace(cluster.postgres_password, '***')} "
        f"(password in {cluster.run_dir / 'postgres-password'})",
        f"  Locks: Redis on 127.0.0.1:{cluster.redis_port}; action servers behind nginx on 127.0.0.1:"
        f"{cluster.actions_port}",
        servers,
        f"  Memory: {sum(memory.values()):,.0f} MiB in all ("
        + ", ".join(f"{name} {mib:,.0f}" for name, mib in memory.items()) + ")",
        f"  Data and logs: {cluster.run_dir}. Stop one Rasa server (kill <pid>) to see failover. Press Ctrl-C to stop.",
        "",
    ]
    return "\n".join(lines)


def _watch(cluster: Cluster, say) -> None:
    """Return when a server the cluster cannot do without exits. A Rasa or action server may stop while another of
    its kind runs: nginx sends its work to the others."""
    reported = set()
    while True:
        time.sleep(1)
        for service in cluster.services:
            if service.running or service.name in reported:
                continue
            reported.add(service.name)
            peers = next((group for group in (cluster.rasa, cluster.actions) if service in group), [])
            if any(peer.running for peer in peers):
                say(f"The {service.name} exited (status {service.process.returncode}); nginx sends its work to the "
                    "others.")
                continue
            say(f"The {service.name} exited (status {service.process.returncode}). Last lines of {service.log}:\n"
                f"{service.log.read_text()[-3000:]}")
            return


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the bot as a cluster on this machine until Ctrl-C.")
    parser.add_argument("--model", required=True)
    parser.add_argument("--rasa-bin", required=True)
    parser.add_argument("--run-dir", type=Path, default=PROJECT_ROOT / ".rasa" / "cluster")
    parser.add_argument("--rasa-servers", type=int, default=2)
    parser.add_argument("--action-servers", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", "5005")), help="nginx's port")
    parser.add_argument("--web-port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    args = parser.parse_args()

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    # Ctrl-C and SIGTERM stop every server, even where the shell that started us ignores SIGINT (a background job).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    cluster = Cluster(args.run_dir, args.model, args.rasa_bin, args.rasa_servers, args.action_servers,
                      proxy_port=args.port, web_port=args.web_port)
    try:
        cluster.start(say)
        say(_banner(cluster))
        _watch(cluster, say)
        return 1
    except KeyboardInterrupt:
        say("Shutting down")
        return 0
    finally:
        cluster.stop()
        say("Stopped every server of the cluster")


if __name__ == "__main__":
    sys.exit(main())
