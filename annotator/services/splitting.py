"""Splitting a bulk import's articles into sentences: in this process, or in several forked from it."""

import contextlib
import functools
import itertools
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from annotator.errors import InvalidInput

from .articles import ArticleInput, each_article, segment

# A process is sent articles of about this many characters at a time: enough that sending them costs
# little beside splitting them, few enough that progress moves several times a second.
CHUNK_CHARACTERS = 256 * 1024

Progress = Callable[[int, int], None] | None


@contextlib.contextmanager
def splitting(processes: int) -> Iterator[Callable]:
    """`split(articles, *, whole_quotations, progress)`, which splits with `processes` processes (see `each_article`).

    The processes are forked on entry, before the caller starts a thread (the job's heartbeat): a
    fork copies only the thread that made it, so a lock another thread held would stay held in the
    child. Errors name the article as `each_article`'s do, the first in the file's order.
    """
    if processes <= 1:
        yield _split_here
        return
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
    try:
        pool.submit(int).result()  # with fork, the first task starts every process
        yield functools.partial(_split_in, pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _split_here(articles: Sequence[ArticleInput], *, whole_quotations: bool, progress: Progress = None) -> list:
    return each_article(functools.partial(segment, whole_quotations=whole_quotations), articles, progress)


def _split_in(
    pool: ProcessPoolExecutor, articles: Sequence[ArticleInput], *, whole_quotations: bool, progress: Progress = None
) -> list:
    chunks = list(_chunks(articles))
    results = pool.map(
        _split_chunk, [first for first, _ in chunks], [chunk for _, chunk in chunks], itertools.repeat(whole_quotations)
    )
    segmented = []
    for (first, chunk), (done, errors) in zip(chunks, results, strict=True):
        if errors:
            raise InvalidInput({"file": errors})
        segmented.extend(done)
        if progress:
            progress(first + len(chunk) - 1, len(articles))
    return segmented


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


def _split_chunk(first: int, articles: list[ArticleInput], whole_quotations: bool) -> tuple[list, list[str]]:
    """Run in a forked process: the split articles, or the messages of the first error (an exception with
    a dictionary of messages would not survive the trip back)."""
    try:
        return each_article(functools.partial(segment, whole_quotations=whole_quotations), articles, first=first), []
    except InvalidInput as error:
        return [], error.errors["file"]
