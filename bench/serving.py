"""Start the app under gunicorn on loopback for the HTTP benchmarks.

Builds a throw-away instance folder (SQLite, migrated, starter glossary, one
curator with an API token), serves it on a free 127.0.0.1 port and stops it
afterwards. Loopback only: nothing here talks to another address.
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


@dataclass
class Server:
    base_url: str
    token: str
    instance: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, input=stdin,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


@contextlib.contextmanager
def serve(workers: int = 2, threads: int = 4) -> Iterator[Server]:
    """Yield a running server; the instance folder and processes are removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="glossary-bench-") as tmp:
        instance = Path(tmp)
        env = {**os.environ, "GLOSSARY_INSTANCE_PATH": str(instance), "SECRET_KEY": secrets.token_hex(16),
               "GLOSSARY_ENV": "production"}
        env.pop("DATABASE_URL", None)
        _flask(env, "db", "upgrade")
        _flask(env, "load-starter")
        password = secrets.token_hex(8)
        _flask(env, "create-user", "bench", "--role", "curator", "--password", password)
        token = _flask(env, "create-token", "bench").splitlines()[-1]
        port = free_port()
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--threads", str(threads), "--log-level", "warning", "app:app"],
            cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("gunicorn did not start") from None
                    time.sleep(0.2)
            yield Server(base, token, instance)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
