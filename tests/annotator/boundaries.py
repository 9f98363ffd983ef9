"""The sentence-boundary test set (data/sentence_boundaries.txt) and its precision and recall scoring."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

CASES = Path(__file__).resolve().parent / "data" / "sentence_boundaries.txt"


@dataclass(frozen=True)
class BoundaryCase:
    line: int
    sentences: tuple[str, ...]

    @property
    def paragraph(self) -> str:
        return " ".join(self.sentences)

    @property
    def boundaries(self) -> set[int]:
        """Where each sentence after the first starts in `paragraph`."""
        starts, offset = set(), 0
        for sentence in self.sentences[:-1]:
            offset += len(sentence) + 1
            starts.add(offset)
        return starts


@dataclass(frozen=True)
class BoundaryScore:
    found: int
    expected: int
    right: int
    wrong_cases: tuple[BoundaryCase, ...]

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def load_cases(path: Path = CASES) -> list[BoundaryCase]:
    cases, lines, first = [], [], 0
    for number, line in enumerate([*path.read_text(encoding="utf-8").splitlines(), ""], start=1):
        if line.startswith("#"):
            continue
        if line.strip():
            first = first or number
            lines.append(line.strip())
        elif lines:
            cases.append(BoundaryCase(first, tuple(lines)))
            lines, first = [], 0
    return cases


def score(split: Callable[[str], Iterable[int]], cases: list[BoundaryCase]) -> BoundaryScore:
    """Score `split`, which gives the start offset of every sentence of a paragraph."""
    found = expected = right = 0
    wrong = []
    for case in cases:
        starts = {start for start in split(case.paragraph) if start > 0}
        found += len(starts)
        expected += len(case.boundaries)
        right += len(starts & case.boundaries)
        if starts != case.boundaries:
            wrong.append(case)
    return BoundaryScore(found, expected, right, tuple(wrong))
