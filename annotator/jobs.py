"""Background work a user asks for and then follows: where it stands, and the one way to finish it.

`annotator` owns it because its article imports are jobs and `claims` (whose export archives are
jobs too) may import `annotator`, never the reverse. Agreement reports share `JobStatus` and
`failure_message` but are not jobs: a report is one stored result that label changes send back
to `pending` again and again, not a request that runs once.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

# An error message longer than this is cut: it is read on a status page, not stored as a log.
ERROR_LENGTH = 2000


class JobStatus(models.TextChoices):
    """Where a piece of background work stands: article imports, agreement reports and export archives share it."""

    PENDING = "pending"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


def failure_message(error: BaseException) -> str:
    """What a user reads about an error nobody foresaw: its kind and its message."""
    return f"{type(error).__name__}: {error}"[:ERROR_LENGTH]


class JobQuerySet(models.QuerySet):
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

    objects = JobQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-requested", "-id"]
