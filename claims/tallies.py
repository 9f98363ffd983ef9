"""The integer tallies every project-wide agreement figure is computed from, which add up over documents.

Krippendorff's coincidences, Fleiss' and Gwet's coefficients, percent agreement, the one-vs-rest
alphas and the bootstrap interval depend on the labels only through how many units have each
count pattern (how many labels of each category a unit got); the per-reviewer figures through
how often each reviewer gave each category on units of each pattern; pairwise Cohen's kappa
through each pair's confusion table. Those are counts, and counts of a project are the sums of
its documents' counts, so a project's figures can be recomputed from stored per-document tallies
plus the fresh tallies of the documents that changed, exactly (integer sums), in time that grows
with the changed labels and the number of documents rather than with every label.

No Django import.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LabelSummary:
    """The tallies of a set of units labelled with `n_categories` categories by `coders`.

    - patterns (P, K): the distinct per-unit label counts of units with at least one label, in
      the order `unit_patterns` gives (which the bootstrap's seeded draws depend on);
    - frequency (P,): how many units have each pattern;
    - given (C, P, K): on how many units of pattern p coder c gave category k;
    - pairs (C, C, K, K): on how many units coder i gave category a and coder j category b.

    `coders` are keys (column indices, user ids) the caller maps to names.
    """

    coders: tuple
    patterns: np.ndarray
    frequency: np.ndarray
    given: np.ndarray
    pairs: np.ndarray

    @property
    def n_categories(self) -> int:
        return self.patterns.shape[1]

    def reordered(self, coders) -> "LabelSummary":
        """The same tallies with coders in the order of `coders` (every key must be one of this summary's)."""
        index = [self.coders.index(key) for key in coders]
        return LabelSummary(
            tuple(coders), self.patterns, self.frequency, self.given[index], self.pairs[np.ix_(index, index)]
        )

    def to_json(self) -> dict:
        """Plain lists, sparse: what a document's tallies are stored as; `sum_stored` adds many up at once.

        `given` holds (coder, pattern, category, units) and `pairs` (coder a, coder b, category of a,
        category of b, units) for a < b, positions in `coders`, nonzero counts only.
        """
        upper = np.triu(np.ones((len(self.coders),) * 2, bool), 1)[:, :, None, None] & (self.pairs > 0)
        return {
            "coders": list(self.coders),
            "patterns": self.patterns.tolist(),
            "frequency": self.frequency.tolist(),
            "given": np.column_stack([*np.nonzero(self.given), self.given[self.given > 0]]).tolist(),
            "pairs": np.column_stack([*np.nonzero(upper), self.pairs[upper]]).tolist(),
        }


def sum_stored(stored: list[dict], n_categories: int) -> LabelSummary:
    """The sum of tallies stored by `LabelSummary.to_json`: a few array operations for the whole list."""
    k = n_categories
    coders = tuple(sorted({key for part in stored for key in part["coders"]}))
    position = {key: index for index, key in enumerate(coders)}
    patterns, frequency, given, pairs, places = [], [], [], [], []
    sizes = np.zeros((len(stored), 3), np.int64)  # per part: patterns, given entries, pair entries
    for index, part in enumerate(stored):
        places.append([position[key] for key in part["coders"]])
        patterns.extend(part["patterns"])
        frequency.extend(part["frequency"])
        given.extend(part["given"])
        pairs.extend(part["pairs"])
        sizes[index] = len(part["patterns"]), len(part["given"]), len(part["pairs"])
    rows = np.array(patterns, np.int64).reshape(-1, k)
    unique, _, inverse = unit_patterns(rows)
    summed = np.zeros(len(unique), np.int64)
    np.add.at(summed, inverse, np.array(frequency, np.int64))
    table = np.full((len(places), max((len(place) for place in places), default=1) or 1), -1, np.int64)
    for index, place in enumerate(places):
        table[index, : len(place)] = place
    first_pattern = np.concatenate([[0], np.cumsum(sizes[:, 0])[:-1]]).astype(np.int64)
    parts = np.arange(len(stored))
    total_given = np.zeros((len(coders), len(unique), k), np.int64)
    if given:
        g, of = np.array(given, np.int64), np.repeat(parts, sizes[:, 1])
        np.add.at(total_given, (table[of, g[:, 0]], inverse[first_pattern[of] + g[:, 1]], g[:, 2]), g[:, 3])
    total_pairs = np.zeros((len(coders), len(coders), k, k), np.int64)
    if pairs:
        q, of = np.array(pairs, np.int64), np.repeat(parts, sizes[:, 2])
        np.add.at(total_pairs, (table[of, q[:, 0]], table[of, q[:, 1]], q[:, 2], q[:, 3]), q[:, 4])
        total_pairs += total_pairs.transpose(1, 0, 3, 2)
    return LabelSummary(coders, unique, summed, total_given, total_pairs)


def unit_counts(data: np.ndarray, n_categories: int) -> np.ndarray:
    """(units, K) int64 matrix: how many coders gave each category to each unit."""
    counts = np.zeros((data.shape[0], n_categories), dtype=np.int64)
    if data.size == 0:
        return counts
    if data.min() < -1 or data.max() >= n_categories:
        raise ValueError(f"category indices must be -1 (missing) or 0..{n_categories - 1}")
    for category in range(n_categories):
        counts[:, category] = np.count_nonzero(data == category, axis=1)
    return counts


def unit_patterns(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct rows of ``counts``, how often each occurs, and each unit's pattern index.

    The order depends only on the set of distinct rows, so tallies merged from parts list their
    patterns in the order the whole would.
    """
    if not len(counts):
        return counts.reshape(0, counts.shape[1]), np.zeros(0, np.int64), np.zeros(0, np.int64)
    base = int(counts.max()) + 1
    if counts.shape[1] * np.log2(base) < 62:
        codes = counts @ (base ** np.arange(counts.shape[1], dtype=np.int64))
        _, first, inverse, frequency = np.unique(codes, return_index=True, return_inverse=True, return_counts=True)
        return counts[first], frequency, inverse.ravel()
    patterns, inverse, frequency = np.unique(counts, axis=0, return_inverse=True, return_counts=True)
    return patterns, frequency, inverse.ravel()


def confusion_matrix(a, b, *, n_categories: int) -> np.ndarray:
    """K x K counts over units both coders labelled: rows are ``a``'s labels, columns ``b``'s."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("a and b must be 1-D arrays of the same length")
    both = (a >= 0) & (b >= 0)
    if both.any() and max(a[both].max(), b[both].max()) >= n_categories:
        raise ValueError(f"category indices must be -1 (missing) or 0..{n_categories - 1}")
    cells = a[both].astype(np.int64) * n_categories + b[both]
    return np.bincount(cells, minlength=n_categories**2).reshape(n_categories, n_categories)


def summarize(data: np.ndarray, n_categories: int, coders=None) -> LabelSummary:
    """The tallies of a (units, coders) label array (-1 where a coder did not label a unit)."""
    k = n_categories
    coders = tuple(range(data.shape[1])) if coders is None else tuple(coders)
    counts = unit_counts(data, k)
    labelled = counts.sum(axis=1) >= 1
    counts, data = counts[labelled], data[labelled]
    patterns, frequency, inverse = unit_patterns(counts)
    columns = np.ascontiguousarray(data.T, dtype=np.int32)
    given = np.zeros((len(coders), len(patterns), k), dtype=np.int64)
    pairs = np.zeros((len(coders), len(coders), k, k), dtype=np.int64)
    for c, column in enumerate(columns):
        mine = np.flatnonzero(column >= 0)
        given[c] = np.bincount(inverse[mine] * k + column[mine], minlength=len(patterns) * k).reshape(-1, k)
        for j in range(c + 1, len(coders)):
            pairs[c, j] = confusion_matrix(column, columns[j], n_categories=k)
            pairs[j, c] = pairs[c, j].T
    return LabelSummary(coders, patterns, frequency.astype(np.int64), given, pairs)


def merge(parts, n_categories: int) -> LabelSummary:
    """The tallies of the union of disjoint sets of units: the sum of `parts`, coders sorted by key."""
    parts = list(parts)
    k = n_categories
    coders = tuple(sorted({key for part in parts for key in part.coders}))
    stacked = np.concatenate([part.patterns for part in parts]) if parts else np.zeros((0, k), np.int64)
    patterns, _, inverse = unit_patterns(stacked)
    frequency = np.zeros(len(patterns), np.int64)
    given = np.zeros((len(coders), len(patterns), k), dtype=np.int64)
    pairs = np.zeros((len(coders), len(coders), k, k), dtype=np.int64)
    position = {key: index for index, key in enumerate(coders)}
    start = 0
    for part in parts:
        rows = inverse[start : start + len(part.patterns)]
        start += len(part.patterns)
        mine = [position[key] for key in part.coders]
        frequency[rows] += part.frequency
        given[np.ix_(mine, rows)] += part.given
        pairs[np.ix_(mine, mine)] += part.pairs
    return LabelSummary(coders, patterns, frequency, given, pairs)
