"""This process's import threads: a bounded pool, and which jobs it runs.

Each server process runs at most ``IMPORT_WORKERS`` import jobs at once, each
in a daemon thread; one more is refused (``ImportsBusy``, a 503) rather than
queued, because a queue in one process's memory would be lost with it. The
job rows say which process runs a job (``worker_id``), so a job this process
no longer runs is known at once to be dead, and one of another process by
its silent heartbeat (``import_jobs.get_job``).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable

from flask import Flask

from ..errors import ServiceError
from ..models import ImportJob
from .import_jobs import job_setting, run_job
from .import_plan import ImportReport

log = logging.getLogger(__name__)
_CREATING = threading.Lock()


class ImportsBusy(ServiceError):
    """Every import slot of this process is taken."""

    status = 503
    code = "busy"


class ImportWorkers:
    """This process's import threads: at most ``IMPORT_WORKERS`` at once, and which jobs they run."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.slots = threading.BoundedSemaphore(job_setting(app, "IMPORT_WORKERS"))
        self.running: dict[int, threading.Event] = {}
        self.lock = threading.Lock()
        self._pid: int | None = None
        self._id = ""

    @property
    def worker_id(self) -> str:
        """host:pid:token, new after a fork, so a job names the very process (and app) that runs it."""
        if self._pid != os.getpid():
            self._pid, self._id = os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        return self._id

    def is_running(self, job_id: int) -> bool:
        with self.lock:
            return job_id in self.running

    def start(self, job_id: int, raw: bytes, on_finished: Callable[[ImportJob], None] | None = None) -> None:
        """Run the job in a new thread, or refuse with ``ImportsBusy`` when every slot is taken."""
        if not self.slots.acquire(blocking=False):
            raise ImportsBusy("Other imports are running; try again when one of them has finished.")
        done = self._register(job_id)
        thread = threading.Thread(
            target=self._run, args=(job_id, raw, on_finished, done), daemon=True, name=f"import-job-{job_id}"
        )
        thread.start()

    def run_here(
        self,
        job_id: int,
        raw: bytes,
        progress: Callable[[ImportJob], None] | None = None,
        on_finished: Callable[[ImportJob], None] | None = None,
        reraise: bool = False,
    ) -> ImportReport | None:
        """Run the job in this thread (a small file, or the CLI); it counts as running meanwhile.

        With ``reraise`` a failure is recorded and then raised again, so that a
        request answers as for any other write (a busy database: 503).
        """
        done = self._register(job_id)
        try:
            return run_job(
                self.app,
                job_id,
                raw,
                progress=progress,
                on_finished=on_finished,
                worker=self.worker_id,
                reraise=reraise,
            )
        finally:
            self._unregister(job_id, done)

    def wait(self, job_id: int, timeout: float | None = None) -> bool:
        """Until the job's thread has finished (True), or ``timeout`` seconds (False)."""
        with self.lock:
            done = self.running.get(job_id)
        return True if done is None else done.wait(timeout)

    def _register(self, job_id: int) -> threading.Event:
        with self.lock:
            done = self.running[job_id] = threading.Event()
        return done

    def _unregister(self, job_id: int, done: threading.Event) -> None:
        with self.lock:
            self.running.pop(job_id, None)
        done.set()

    def _run(
        self, job_id: int, raw: bytes, on_finished: Callable[[ImportJob], None] | None, done: threading.Event
    ) -> None:
        try:
            with self.app.app_context():
                run_job(self.app, job_id, raw, on_finished=on_finished, worker=self.worker_id)
        except Exception:  # run_job records its failures; this is the last resort of a daemon thread
            log.exception("import job %s crashed", job_id)
        finally:
            self._unregister(job_id, done)
            self.slots.release()


def import_workers(app: Flask) -> ImportWorkers:
    """The app's import threads (created on first use)."""
    app = getattr(app, "_get_current_object", lambda: app)()  # threads need the app itself, not the proxy
    with _CREATING:
        workers = app.extensions.get("import_workers")
        if workers is None:
            workers = app.extensions["import_workers"] = ImportWorkers(app)
    return workers
