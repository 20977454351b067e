"""Start the app under gunicorn on loopback for the HTTP benchmarks.

Builds a throw-away instance folder (SQLite, migrated, starter glossary,
curators with API tokens, all through the app's own ``flask`` commands), serves
it on a free 127.0.0.1 port and stops it afterwards. Loopback only: nothing
here talks to another address. An empty database of one's own (a test's
PostgreSQL schema, say) can be served instead of the SQLite file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


# Starting gunicorn is importing the app in each worker: seconds, more on a loaded machine.
# The bound only stops a server that will never answer from hanging the caller.
STARTUP_LIMIT_SECONDS = 180


@dataclass
class Server:
    base_url: str
    token: str  # the first curator's
    instance: Path
    tokens: list[str]  # one per curator, each of a different user
    database_url: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "app", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@contextlib.contextmanager
def serve(workers: int = 2, threads: int = 4, curators: int = 1, database_url: str | None = None) -> Iterator[Server]:
    """Yield a running server; the instance folder and processes are removed afterwards.

    ``database_url`` names an empty database to migrate and serve (default: a
    new SQLite file in the instance folder). Each of the ``curators`` is a user
    of their own with one API token, as two people editing would be.
    """
    with tempfile.TemporaryDirectory(prefix="glossary-bench-") as tmp:
        instance = Path(tmp)
        env = {
            **os.environ,
            "GLOSSARY_INSTANCE_PATH": str(instance),
            "SECRET_KEY": secrets.token_hex(16),
            "GLOSSARY_ENV": "production",
        }
        database_url = database_url or f"sqlite:///{instance / 'glossary.sqlite3'}"
        env["DATABASE_URL"] = database_url
        _flask(env, "db", "upgrade")
        _flask(env, "load-starter")
        tokens = []
        for number in range(1, curators + 1):
            name = "bench" if number == 1 else f"bench{number}"
            _flask(env, "create-user", name, "--role", "curator", "--password", secrets.token_hex(8))
            tokens.append(_flask(env, "create-token", name).splitlines()[-1])
        port = free_port()
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--log-level",
                "warning",
                "app:app",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("gunicorn did not start") from None
                    time.sleep(0.2)
            yield Server(base, tokens[0], instance, tokens, database_url)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
