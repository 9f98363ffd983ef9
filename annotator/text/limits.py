"""How much work one article may cost (sentences, seconds), checked as it is split, and the error that refuses it."""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator
from dataclasses import dataclass


class SegmentationError(ValueError):
    """An article that cannot be segmented; `field` names the input at fault."""

    def __init__(self, message: str, *, field: str = "text"):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Limits:
    """How much work one article may cost: at most `sentences` sentences and `seconds` of splitting.

    Splitting checks them as it goes (between Markdown blocks, HTML elements and paragraphs), so an
    article over either is refused early instead of holding a worker for minutes.
    """

    sentences: int | None = None
    seconds: float | None = None


class Budget:
    """The limits of the article being split, with the deadline its `seconds` set."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = None if limits.seconds is None else time.monotonic() + limits.seconds

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SegmentationError(
                f"Splitting the article into sentences took longer than {self.limits.seconds:g} s, the limit; "
                "split it into shorter articles."
            )

    def check_sentences(self, count: int) -> None:
        if self.limits.sentences is not None and count > self.limits.sentences:
            raise SegmentationError(
                f"The article has more than {self.limits.sentences:,} sentences, the limit; "
                "split it into shorter articles."
            )


NO_LIMITS = Limits()
_UNLIMITED = Budget(NO_LIMITS)
_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("segmentation_budget", default=None)


@contextlib.contextmanager
def article_budget(limits: Limits) -> Iterator[None]:
    """Check `limits` in the pipeline's steps while the article is split (`current_budget` finds them)."""
    token = _budget.set(Budget(limits))
    try:
        yield
    finally:
        _budget.reset(token)


def current_budget() -> Budget:
    """The budget of the article being split (`segment_article` sets it for the pipeline's steps)."""
    return _budget.get() or _UNLIMITED
