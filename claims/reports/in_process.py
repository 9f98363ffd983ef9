"""Recomputations without a broker (the demo): one thread per process runs them after the response.

With `CELERY_BROKER_URL` unset Celery runs a task at once, inside the call that queues it: a
reviewer's save would wait for the statistics. Instead `schedule.queue_recomputation` hands the
reports to this module, whose thread runs each one `countdown` seconds after its first request,
with the newest request it has seen: a burst of saves costs one run per report and debounce
window, as the Redis path's marks do. Coalescing is per process, which is all a process without
a broker needs. A process that exits normally (a management command such as `load_demo`) runs
what it still owes before it goes; one that is killed leaves those reports pending, and the next
request or POST queues them again.

The thread has its own database connection, closed after each batch, so it never holds one
between bursts.
"""

import atexit
import datetime
import logging
import os
import threading
import time

from django.db import connection

logger = logging.getLogger(__name__)


class Runner:
    """Reports due at a moment, run by one daemon thread started on the first submission in a process."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        # (task, report id) -> (time.monotonic() at which it runs, the newest request for it)
        self._due: dict[tuple, tuple[float, datetime.datetime]] = {}
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def submit(self, task, report_ids: list[int], requested_at: datetime.datetime, countdown: float) -> None:
        """Run `task` for each report `countdown` seconds from now, or with the run already due for it."""
        with self._changed:
            at = time.monotonic() + max(countdown, 0.0)
            for report_id in report_ids:
                key = (task, report_id)
                due = self._due.get(key)
                self._due[key] = (at, requested_at) if due is None else (due[0], max(due[1], requested_at))
            self._start()
            self._changed.notify()

    def _start(self) -> None:
        # A forked server process (gunicorn) inherits the object but not the thread.
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        if self._pid is None:
            atexit.register(self.run_owed)
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._serve, name="lede-agreement-reports", daemon=True)
        self._thread.start()

    def run_owed(self) -> None:
        """Run every report still on the schedule now, in the caller (at exit)."""
        with self._changed:
            owed = [(key, requested_at) for key, (_, requested_at) in self._due.items()]
            self._due.clear()
        try:
            for key, requested_at in sorted(owed, key=lambda item: (item[0][0].name, item[0][1])):
                self._run(key, requested_at)
        finally:
            connection.close()

    def _next_batch(self) -> list[tuple[tuple, datetime.datetime]]:
        """Wait until some reports are due and take them off the schedule."""
        with self._changed:
            while True:
                now = time.monotonic()
                due = [key for key, (at, _) in self._due.items() if at <= now]
                if due:
                    return [(key, self._due.pop(key)[1]) for key in sorted(due, key=lambda key: (key[0].name, key[1]))]
                soonest = min((at for at, _ in self._due.values()), default=None)
                self._changed.wait(None if soonest is None else soonest - now)

    def _serve(self) -> None:
        while True:
            batch = self._next_batch()
            try:
                for key, requested_at in batch:
                    self._run(key, requested_at)
            finally:
                connection.close()

    @staticmethod
    def _run(key: tuple, requested_at: datetime.datetime) -> None:
        """Run the task as a worker would (its failure handler marks the report failed); never stop the thread."""
        task, report_id = key
        try:
            task.apply((report_id, requested_at.isoformat()), throw=True)
        except Exception:
            logger.exception("%s for report %s failed", task.name, report_id)


runner = Runner()
