"""Background work a user asks for and then follows: where it stands, and the one way to finish it.

`annotator` owns it because its article imports are jobs and `claims` (whose export archives are
jobs too) may import `annotator`, never the reverse. Agreement reports share `JobStatus` and
`failure_message` but are not jobs: a report is one stored result that label changes send back
to `pending` again and again, not a request that runs once.
"""

import contextlib
import datetime
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from lede.celery_app import app

logger = logging.getLogger(__name__)

# An error message longer than this is cut: it is read on a status page, not stored as a log.
ERROR_LENGTH = 2000


class JobStatus(models.TextChoices):
    """Where a piece of background work stands: article imports, agreement reports and export archives share it."""

    PENDING = "pending"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


def failure_message(error: BaseException) -> str:
    """What everyone who may read a job or report learns of an error nobody foresaw: its kind, not its text.

    An exception's text may hold a broker's or a database's address and its own words, and a
    report is read by every viewer of the project: the text goes to the server's log only.
    """
    if isinstance(error, WorkerLost):
        return f"WorkerLost: {error}"
    logger.error("Background work failed", exc_info=error)
    return f"{type(error).__name__}: the work stopped on an unexpected error; the details are in the server's log."


class WorkerLost(Exception):
    """The worker running a job stopped (killed, out of memory, its machine gone) before the job ended."""

    def __init__(self):
        super().__init__("The worker running this job stopped before it ended.")


def stalled_before() -> datetime.datetime:
    """A running job whose last heartbeat is older than this has lost its worker."""
    return timezone.now() - datetime.timedelta(seconds=settings.JOB_STALLED_AFTER_SECONDS)


def stalled_since(*, status: str, heartbeat, waiting_since=None) -> datetime.datetime | None:
    """When work whose worker has stopped last showed life; None while it runs, waits its turn, or has ended.

    Running work is stalled when its last heartbeat is older than JOB_STALLED_AFTER_SECONDS; pending
    work when both its last heartbeat (it was sent back to the queue after it ran) and, for a
    report, its latest request (`waiting_since`) are that old. Readers show it, so that "running"
    never stands for work that nobody does (the sweeper sends it back to the queue, but only a
    worker that is up takes it).
    """
    if status == JobStatus.RUNNING:
        last = heartbeat
    elif status == JobStatus.PENDING:
        last = max((moment for moment in (heartbeat, waiting_since) if moment is not None), default=None)
    else:
        return None
    return last if last is not None and last < stalled_before() else None


class JobQuerySet(models.QuerySet):
    def start(self, **fields) -> int:
        """Mark these jobs running, with a first heartbeat, one more attempt counted and the `fields` given."""
        return self.update(
            status=JobStatus.RUNNING, heartbeat=timezone.now(), attempts=models.F("attempts") + 1, **fields
        )

    def stalled(self) -> "JobQuerySet":
        """The running jobs whose worker stopped beating: killed, not merely slow."""
        return self.filter(status=JobStatus.RUNNING, heartbeat__lt=stalled_before())

    def finish(self, **fields) -> int:
        """Mark these jobs ready, all progress made, with the `fields` that hold what they produced."""
        return self.update(status=JobStatus.READY, progress=100, error="", finished=timezone.now(), **fields)

    def fail(self, message: str, **fields) -> int:
        """Mark these jobs failed with `message`, unless one finished well: a late failure must not undo it."""
        return self.exclude(status=JobStatus.READY).update(
            status=JobStatus.FAILED, error=message[:ERROR_LENGTH], finished=timezone.now(), **fields
        )


class Job(models.Model):
    """A piece of work a user asked for, run by a worker; the user polls it until it is ready or failed.

    `progress` runs from 0 to 100; `error` says, in words the user reads, why it failed.
    """

    Status = JobStatus

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    requested = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(
        null=True, blank=True, help_text="Written every few seconds while a worker runs the job (see `beating`)."
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="How many runs of the job have started.")

    objects = JobQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-requested", "-id"]

    @property
    def stalled_since(self) -> datetime.datetime | None:
        return stalled_since(status=self.status, heartbeat=self.heartbeat)


@contextlib.contextmanager
def beating(rows: models.QuerySet):
    """Write `heartbeat` on `rows` every JOB_HEARTBEAT_SECONDS while the block runs, from a thread.

    A worker killed with `kill -9` leaves its job `running` and its message unacknowledged until
    the broker's visibility timeout (an hour); the heartbeat lets the sweeper tell a lost job from
    a slow one within a minute, however long one step of the work takes. Tasks run in the caller
    (no broker: the demo, most tests) need no heartbeat, and may hold the job's row locked.
    """
    if app.conf.task_always_eager:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    rows.update(heartbeat=timezone.now())
                except DatabaseError:  # the run itself meets the same error and retries
                    logger.warning("Could not write a heartbeat", exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name="lede-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def recover_stalled(
    jobs: JobQuerySet, *, requeue: Callable[[int], None], fail: Callable[[int, BaseException], None]
) -> dict[str, list[int]]:
    """Requeue each stalled job of `jobs` that has attempts left (JOB_MAX_ATTEMPTS), fail the others.

    A job that killed its worker twice (a file that exhausts its memory, say) would kill the
    next one too, so it fails with a message instead of running forever. Rows another sweeper
    holds are skipped; `requeue` runs after the commit, so its worker reads the job pending.
    """
    with transaction.atomic():
        stalled = list(jobs.stalled().select_for_update(skip_locked=True).values_list("pk", "attempts"))
        again = [pk for pk, attempts in stalled if attempts < settings.JOB_MAX_ATTEMPTS]
        given_up = [pk for pk, attempts in stalled if attempts >= settings.JOB_MAX_ATTEMPTS]
        # The heartbeat stays: until a worker starts the job again, readers see when its last one stopped.
        jobs.filter(pk__in=again).update(status=JobStatus.PENDING, progress=0)
        for pk in again:
            transaction.on_commit(lambda pk=pk: requeue(pk))
    for pk in given_up:
        fail(pk, WorkerLost())
    return {"requeued": again, "failed": given_up}
