"""Splitting a bulk import's articles into sentences: in this process, or in several forked from it."""

import contextlib
import functools
import os
import pickle
import signal
from array import array
from collections.abc import Callable, Iterator, Sequence
from itertools import chain

from annotator.errors import InvalidInput
from annotator.text.segmentation import SentenceSpan

from .articles import ArticleInput, each_article, segment, segmentation_limits

# A process splits articles of about this many characters at a time: enough that sending back the
# result costs little beside splitting, few enough that progress moves several times a second.
CHUNK_CHARACTERS = 256 * 1024


class SplittingFailed(Exception):
    """A process splitting articles stopped on an error nobody foresaw (its kind and text are the message)."""


def split_articles(
    articles: Sequence[ArticleInput],
    *,
    whole_quotations: bool,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
    meanwhile: contextlib.AbstractContextManager | None = None,
) -> list:
    """`each_article(segment)` over `articles` (which `check_article` passed), by `processes` processes forked
    from this one, inside `meanwhile` (a job's heartbeat).

    The articles go in runs of about CHUNK_CHARACTERS; process k splits runs k, k + processes, ...,
    and they are read back in the file's order, so an error names the first bad article as
    `each_article` would. `meanwhile` is entered once the processes are forked: a fork copies only
    the thread that made it, so a lock another thread held would stay held in the child.
    """
    segmenter = functools.partial(segment, whole_quotations=whole_quotations, limits=segmentation_limits())
    chunks = list(_chunks(articles))
    meanwhile = meanwhile or contextlib.nullcontext()
    if processes <= 1 or len(chunks) == 1:
        with meanwhile:
            return each_article(segmenter, articles, progress)

    def split_chunk(index: int) -> tuple[list, list[str]]:
        first, chunk = chunks[index]
        try:
            return [(row, _packed(spans)) for row, spans in each_article(segmenter, chunk, first=first)], []
        except InvalidInput as error:  # its dictionary of messages travels back, not the exception
            return [], error.errors["file"]

    segmented = []
    with _forked(split_chunk, len(chunks), processes) as results, meanwhile:
        for (first, chunk), (done, errors) in zip(chunks, results, strict=True):
            if errors:
                raise InvalidInput({"file": errors})
            segmented.extend((row, _unpacked(spans)) for row, spans in done)
            if progress:
                progress(first + len(chunk) - 1, len(articles))
    return segmented


def _packed(spans: Sequence[SentenceSpan]) -> array:
    """An article's sentence spans as one flat array of integers, which a pipe carries as bytes: pickling a
    hundred thousand named tuples cost each side more than its share of the splitting."""
    return array("q", chain.from_iterable(spans))


def _unpacked(packed: array) -> tuple[SentenceSpan, ...]:
    numbers = iter(packed)
    return tuple(map(SentenceSpan._make, zip(numbers, numbers, numbers, numbers, strict=True)))


def _chunks(articles: Sequence[ArticleInput]) -> Iterator[tuple[int, list[ArticleInput]]]:
    """The articles in runs of about CHUNK_CHARACTERS, each with the number of its first article."""
    first, chunk, size = 1, [], 0
    for number, article in enumerate(articles, start=1):
        chunk.append(article)
        size += len(article.text)
        if size >= CHUNK_CHARACTERS:
            yield first, chunk
            first, chunk, size = number + 1, [], 0
    if chunk:
        yield first, chunk


@contextlib.contextmanager
def _forked(work: Callable[[int], object], count: int, processes: int) -> Iterator[Iterator]:
    """`work(0)`, ..., `work(count - 1)` in order, computed by `processes` children forked now.

    The children have the parent's memory (the articles) without copying it; each sends its results
    back pickled through a pipe and leaves with `os._exit`, so nothing of the parent's (its database
    connection) is closed or flushed by them. Leaving the block early kills the children still at work.
    """
    children: list[tuple[int, object]] = []
    try:
        for k in range(min(processes, count)):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                try:
                    with os.fdopen(write, "wb") as pipe:
                        for index in range(k, count, processes):
                            try:
                                result = ("done", work(index))
                            except BaseException as error:  # reported to the parent, which raises
                                result = ("raised", f"{type(error).__name__}: {error}")
                            pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                            pipe.flush()
                            if result[0] == "raised":
                                break
                finally:
                    os._exit(0)
            os.close(write)
            children.append((pid, os.fdopen(read, "rb")))
        yield (_received(children[index % len(children)][1]) for index in range(count))
    finally:
        for pid, pipe in children:
            pipe.close()
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _received(pipe) -> object:
    try:
        kind, value = pickle.load(pipe)
    except EOFError:
        raise SplittingFailed("a process splitting the articles stopped before it answered") from None
    if kind == "raised":
        raise SplittingFailed(value)
    return value
