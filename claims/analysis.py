"""What the labels say about the coverage of groups of articles, with bootstrap intervals: NumPy in, numbers out.

Nothing here imports Django. The reader (`claims.reports.analyses`) gives every reviewer's label, or
every decided label, as arrays (`Labels`) and each sentence's article and third of its article
(`Sentences`); a basis turns the labels into weighted units, one function per basis:

- `labels_basis`: every reviewer's label, each weighing 1/k on a sentence with k labels, so every
  labelled sentence weighs 1 however many reviewers read it (on decided labels, one per sentence,
  this is the gold basis: each decided sentence weighs 1 with its decision's speaker and sources);
- `plurality_basis`: the most frequent label of each sentence (tied labels share the sentence's
  weight equally). Its sources are the most any reviewer who gave that label cited, its speaker
  the name those reviewers gave most often, its source domains all those they cited.
- `gold_or_plurality_basis`: the decided label where a sentence has one, the plurality elsewhere, so
  every labelled sentence counts once whether or not a curator has reached it yet.

`analyse` computes, for each group of articles (an outlet, a leaning, a topic, a month):

- the share of the labelled sentences' weight that each label has, overall and in each third of
  the article (first, middle, last, by the sentence's position in its article);
- for the label named `claim`: the share of claims with at least one source, the sources per
  claim, the most cited source domains;
- for the label named `quote`: the number of distinct speakers, the most quoted, and the share
  of the quotes with a named speaker that the five most quoted have.

Each figure comes with a 95% expanded percentile interval (Hesterberg 2015: the quantiles at
`expanded_levels(n)` instead of .025 and .975, for n articles) from a bootstrap that resamples the
group's *articles* with replacement, since the sentences of one article are not independent; a
group of fewer than MIN_GROUP_ARTICLES articles gets no interval (the plain percentile interval
covered 0.74-0.84 at 5 articles in Lede's simulation). For
reproducibility the draws are fixed: one `numpy.random.default_rng(seed)`, and for each group in
the order given, `rng.integers(0, n, size=(resamples, n))` over its `n` articles in the order
given (drawn in chunks of rows, which yields the same numbers); the interval is
`numpy.nanquantile(replicates, expanded_levels(n))` (a replicate whose denominator is 0 is NaN).
Groups are resampled independently, so the difference of two groups' replicates, drawn side by
side, is a replicate of their difference: `differences` gives it, with its interval (widened for
the smaller group's articles), its bootstrap p-value and that p-value adjusted by Holm's method
over the pairs compared, for every pair among the `max_compared` groups with the most articles.
Lists (most quoted, most cited domains) are point estimates, ties in the order of the names. A
figure with nothing to count is None.
"""

from dataclasses import dataclass, field

import numpy as np

from claims.coincidences import NORMAL, t_quantile

THIRDS = ("first", "middle", "last")
# A group with fewer articles than this gets its figures without intervals (reason "too_few_articles"), and so does
# a difference with such a group: Lede's seeded simulation (bench/share_interval_coverage.py; the table in
# docs/researchers/intervals.md; checked by tests/claims/test_share_interval_coverage.py) covers at least 93% from
# here in every scenario, and less below.
MIN_GROUP_ARTICLES = 20
INTERVAL_METHOD = (
    "95% expanded percentile bootstrap over the group's articles (Hesterberg 2015): quantiles at "
    "Phi(+-sqrt(n/(n-1)) t_{n-1,.975}) for n articles"
)
MULTIPLE_COMPARISONS = (
    "Holm (1979) over every pair of groups compared, for each figure: p_holm is the adjusted bootstrap p-value "
    "of the difference (twice the smaller share of replicates on either side of 0)"
)
TOP_SPEAKERS = 5
TOP_DOMAINS = 10
_CHUNK_CELLS = 4_000_000


@dataclass
class Labels:
    """Every reviewer's label: one row each. `speaker` is an index into the speaker names or -1;
    `cited` pairs a label row (`cited_label`) with a source domain index (`cited_domain`), once per domain."""

    sentence: np.ndarray
    label: np.ndarray
    sources: np.ndarray
    speaker: np.ndarray
    cited_label: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    cited_domain: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass
class Sentences:
    """Per sentence: the index of its article and its third of the article (0 first, 1 middle, 2 last)."""

    article: np.ndarray
    third: np.ndarray


@dataclass
class Units:
    """What a basis counts: weighted (sentence, label) units with their sources, speaker and cited domains."""

    sentence: np.ndarray
    label: np.ndarray
    weight: np.ndarray
    sources: np.ndarray
    speaker: np.ndarray
    cited_unit: np.ndarray
    cited_domain: np.ndarray


def third_of(index: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The third of its article a sentence is in, from its index and the article's number of sentences."""
    return np.minimum(index * 3 // np.maximum(length, 1), 2).astype(np.int8)


def labels_basis(labels: Labels) -> Units:
    per_sentence = np.bincount(labels.sentence)
    weight = 1.0 / per_sentence[labels.sentence] if len(labels.sentence) else np.zeros(0)
    return Units(
        sentence=labels.sentence,
        label=labels.label,
        weight=weight,
        sources=labels.sources.astype(np.float64),
        speaker=labels.speaker,
        cited_unit=labels.cited_label,
        cited_domain=labels.cited_domain,
    )


def plurality_basis(labels: Labels, categories: int) -> Units:
    if not len(labels.sentence):
        return labels_basis(labels)
    pair = labels.sentence.astype(np.int64) * categories + labels.label
    pairs, of_label, counts = np.unique(pair, return_inverse=True, return_counts=True)
    sentence = pairs // categories
    top = np.zeros(sentence.max() + 1, np.int64)
    np.maximum.at(top, sentence, counts)
    kept = counts == top[sentence]
    ties = np.bincount(sentence[kept], minlength=len(top))
    unit_of_pair = np.cumsum(kept) - 1
    unit_of_pair[~kept] = -1
    unit_of_label = unit_of_pair[of_label]
    chosen = unit_of_label >= 0
    units = int(kept.sum())
    sources = np.zeros(units)
    np.maximum.at(sources, unit_of_label[chosen], labels.sources[chosen])
    speaker = _most_named(unit_of_label[chosen], labels.speaker[chosen], units)
    cited_unit = unit_of_label[labels.cited_label] if len(labels.cited_label) else np.zeros(0, np.int64)
    chosen_cited = cited_unit >= 0
    cited = np.unique(np.stack([cited_unit[chosen_cited], labels.cited_domain[chosen_cited]]), axis=1)
    return Units(
        sentence=sentence[kept],
        label=(pairs % categories)[kept],
        weight=1.0 / ties[sentence[kept]],
        sources=sources,
        speaker=speaker,
        cited_unit=cited[0],
        cited_domain=cited[1],
    )


def gold_or_plurality_basis(gold: Units, plurality: Units) -> tuple[Units, dict]:
    """Gold units for the decided sentences, plurality units for the rest, and the mix: how many sentences
    are `decided`, how many have a single `plurality` label and how many are `tied` (their weight shared).

    Both must index the same speaker names and domains (the reader merges them)."""
    decided = np.unique(gold.sentence)
    kept = ~np.isin(plurality.sentence, decided)
    renumbered = np.cumsum(kept) - 1
    cited = kept[plurality.cited_unit] if len(plurality.cited_unit) else np.zeros(0, bool)
    units = Units(
        sentence=np.concatenate([gold.sentence, plurality.sentence[kept]]),
        label=np.concatenate([gold.label, plurality.label[kept]]),
        weight=np.concatenate([gold.weight, plurality.weight[kept]]),
        sources=np.concatenate([gold.sources, plurality.sources[kept]]),
        speaker=np.concatenate([gold.speaker, plurality.speaker[kept]]),
        cited_unit=np.concatenate([gold.cited_unit, len(gold.sentence) + renumbered[plurality.cited_unit[cited]]]),
        cited_domain=np.concatenate([gold.cited_domain, plurality.cited_domain[cited]]),
    )
    _, per_sentence = np.unique(plurality.sentence[kept], return_counts=True)
    mix = {
        "decided": len(decided),
        "plurality": int((per_sentence == 1).sum()),
        "tied": int((per_sentence > 1).sum()),
    }
    return units, mix


def _most_named(unit: np.ndarray, speaker: np.ndarray, units: int) -> np.ndarray:
    """Per unit, the speaker named most often among its labels (the lowest index on a tie); -1 if none."""
    named = speaker >= 0
    result = np.full(units, -1, np.int64)
    if not named.any():
        return result
    pairs, counts = np.unique(np.stack([unit[named], speaker[named]]), axis=1, return_counts=True)
    order = np.lexsort((pairs[1], -counts, pairs[0]))
    first = np.ones(len(order), bool)
    first[1:] = pairs[0][order][1:] != pairs[0][order][:-1]
    result[pairs[0][order][first]] = pairs[1][order][first]
    return result


@dataclass
class Scheme:
    """Names the figures refer to: the labels in order, which of them is the claim and the quote label."""

    categories: list[str]
    speakers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)

    def index_of(self, name: str) -> int | None:
        lowered = [category.lower() for category in self.categories]
        return lowered.index(name) if name in lowered else None


def analyse(
    units: Units,
    sentences: Sentences,
    groups: list[tuple[str, np.ndarray]],
    scheme: Scheme,
    *,
    resamples: int = 1000,
    seed: int = 0,
    max_compared: int = 10,
    min_articles: int = MIN_GROUP_ARTICLES,
) -> dict:
    """Figures with intervals for each group (name, its article indices), and differences between groups.

    A group of fewer than `min_articles` articles keeps its estimates but no interval, and so does a
    difference with it (`interval`: reason too_few_articles, more_articles). Each difference carries
    its bootstrap p-value and the Holm-adjusted one over the pairs compared (`multiple_comparisons`).
    """
    rng = np.random.default_rng(seed)
    groups = [(name, np.asarray(articles, np.int64)) for name, articles in groups]
    article_count = 1 + max([-1, *(int(articles.max()) for _, articles in groups if len(articles))])
    article_count = max(article_count, int(sentences.article.max()) + 1 if len(sentences.article) else 0)
    sums = _ArticleSums(units, sentences, scheme, article_count)
    results, replicates = [], {}
    for name, articles in groups:
        figures, reps = _group_figures(sums, articles, rng, resamples)
        results.append({"name": name, **figures})
        replicates[name] = reps
    compared = sorted(results, key=lambda group: (-group["articles"], group["name"]))[:max_compared]
    differences = []
    for position, first in enumerate(compared):
        for second in compared[position + 1 :]:
            differences.append(
                {
                    "groups": [first["name"], second["name"]],
                    "figures": _differences(first, second, replicates[first["name"]], replicates[second["name"]]),
                }
            )
    for difference in differences:
        first, second = (next(g for g in results if g["name"] == name) for name in difference["groups"])
        if min(first["articles"], second["articles"]) < min_articles:
            _withhold(difference["figures"].values())
    _holm(differences)
    for group in results:
        short = group["articles"] < min_articles
        group["interval"] = {
            "method": INTERVAL_METHOD,
            "min_articles": min_articles,
            "reason": "too_few_articles" if short else None,
            "more_articles": max(0, min_articles - group["articles"]),
        }
        if short:
            _withhold(group["flat"].values())
        del group["flat"]
    return {
        "groups": results,
        "differences": differences,
        "interval_method": INTERVAL_METHOD,
        "min_articles": min_articles,
        "multiple_comparisons": MULTIPLE_COMPARISONS,
    }


def _withhold(figures) -> None:
    """No interval and no p-value for these figures: too few articles for one that holds."""
    for figure in figures:
        figure["ci95"] = None
        if "p" in figure:
            figure["p"] = None


def _holm(differences: list[dict]) -> None:
    """Holm's (1979) step-down adjustment of each figure's p-values over the pairs of groups compared."""
    names = {name for difference in differences for name in difference["figures"]}
    for name in sorted(names):
        found = [d["figures"][name] for d in differences if d["figures"].get(name, {}).get("p") is not None]
        order = sorted(range(len(found)), key=lambda i: found[i]["p"])
        running = 0.0
        for rank, index in enumerate(order):
            running = max(running, min(1.0, (len(found) - rank) * found[index]["p"]))
            found[index]["p_holm"] = round(running, 6)
        for difference in differences:
            difference["figures"].get(name, {}).setdefault("p_holm", None)


def expanded_levels(articles: int) -> tuple[float, float]:
    """The quantile levels of the expanded percentile interval over `articles` clusters (Hesterberg 2015).

    The plain percentile interval is too narrow for few clusters: its spread is the plug-in one,
    (n - 1) / n of the unbiased, and its tails are normal where Student's t fits. Expanded, the
    levels are Phi(+-sqrt(n / (n - 1)) t_{n-1, .975}) instead of .025 and .975.
    """
    if articles < 2:
        return 0.025, 0.975
    low = NORMAL.cdf(np.sqrt(articles / (articles - 1.0)) * t_quantile(0.025, articles - 1))
    return low, 1.0 - low


def _intervals(replicates: np.ndarray, articles: int) -> list[list[float] | None]:
    """Per column of `replicates` (rows: replicates), `numpy.quantile(finite values, expanded_levels(articles))`,
    or None.

    All columns at once: sorting puts the NaNs last, so each column's finite values come first and
    the quantile is NumPy's linear interpolation between two of them.
    """
    if not replicates.shape[0]:
        return [None] * replicates.shape[1]
    ordered = np.sort(np.where(np.isfinite(replicates), replicates, np.nan), axis=0)
    finite = np.isfinite(replicates).sum(axis=0)
    columns = np.arange(replicates.shape[1])
    bounds = []
    for quantile in expanded_levels(articles):
        index = quantile * np.maximum(finite - 1, 0)
        below = np.floor(index).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(finite - 1, 0))
        low, high, t = ordered[below, columns], ordered[above, columns], index - below
        with np.errstate(invalid="ignore"):
            bounds.append(np.where(t >= 0.5, high - (high - low) * (1 - t), low + (high - low) * t))
    return [
        [round(float(bounds[0][column]), 6), round(float(bounds[1][column]), 6)] if finite[column] else None
        for column in columns
    ]


def _figures(estimates: np.ndarray, replicates: np.ndarray, articles: int) -> list[dict]:
    """A figure per column: its estimate (None if not finite) and the interval of its replicates' column."""
    intervals = _intervals(replicates, articles)
    return [
        {"estimate": round(float(estimate), 6), "ci95": interval}
        if estimate is not None and np.isfinite(estimate)
        else {"estimate": None, "ci95": None}
        for estimate, interval in zip(estimates, intervals, strict=True)
    ]


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def _resample_counts(rng: np.random.Generator, articles: int, resamples: int):
    """Yield, chunk by chunk, how often each article is drawn in each replicate (rows: replicates)."""
    rows = max(1, _CHUNK_CELLS // max(articles, 1))
    for start in range(0, resamples, rows):
        count = min(rows, resamples - start)
        drawn = rng.integers(0, articles, size=(count, articles))
        offsets = (np.arange(count) * articles)[:, None]
        yield np.bincount((drawn + offsets).ravel(), minlength=count * articles).reshape(count, articles)


class _ArticleSums:
    """What every article contributes to the figures, summed once for all groups.

    Every ratio figure is a sum over the group's articles divided by another, so a bootstrap
    replicate is `counts @ numerators / counts @ denominators` with `counts` the times each
    article was drawn. Quotes and cited domains are kept as (article, speaker or domain, weight)
    triples, summed per article.
    """

    def __init__(self, units: Units, sentences: Sentences, scheme: Scheme, articles: int):
        self.scheme = scheme
        claim, quote = scheme.index_of("claim"), scheme.index_of("quote")
        self.claim, self.quote = claim, quote
        at = sentences.article[units.sentence]
        label, weight = units.label, units.weight
        third = sentences.third[units.sentence].astype(np.int64)
        width = len(scheme.categories)
        # Per article: the weight of each (third, label), from which every share's sums follow.
        cells = np.bincount((at * 3 + third) * width + label, weights=weight, minlength=articles * 3 * width).reshape(
            articles, 3, width
        )
        whole = cells.sum(axis=1)
        numerators = [whole, *(cells[:, part] for part in range(3))]
        denominators = [np.repeat(block.sum(axis=1, keepdims=True), width, axis=1) for block in numerators]
        self.names = [f"share:{category}" for category in scheme.categories] + [
            f"third:{part}:{category}" for part in THIRDS for category in scheme.categories
        ]
        if claim is not None:
            is_claim = label == claim
            claim_at, claim_weight = at[is_claim], weight[is_claim]
            sources = units.sources[is_claim]
            claims = np.bincount(claim_at, weights=claim_weight, minlength=articles)[:, None]
            numerators.append(np.stack([
                np.bincount(claim_at, weights=claim_weight * (sources > 0), minlength=articles),
                np.bincount(claim_at, weights=claim_weight * sources, minlength=articles),
            ], axis=1))  # fmt: skip
            denominators.append(np.repeat(claims, 2, axis=1))
            self.names += ["claims:with_source", "claims:sources_per_claim"]
        self.numerators = np.concatenate(numerators, axis=1)
        self.denominators = np.concatenate(denominators, axis=1)
        self.weight = np.bincount(at, weights=weight, minlength=articles)
        self.claim_weight = whole[:, claim] if claim is not None else None
        self.quote_weight = whole[:, quote] if quote is not None else None
        labelled = np.unique(units.sentence)
        self.sentences = np.bincount(sentences.article[labelled], minlength=articles)
        self.quotes = _triples(
            at, units.speaker, weight, (label == quote) & (units.speaker >= 0) if quote is not None else None
        )
        cited = units.cited_unit
        self.cited = _triples(
            at[cited], units.cited_domain, weight[cited], label[cited] == claim if claim is not None else None
        )


def _triples(article, key, weight, kept) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(article, key, summed weight) of the rows in `kept` (none if None), sorted by article then key."""
    if kept is None or not kept.any():
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0)
    keys = max(int(key[kept].max()) + 1, 1)
    pairs, index = np.unique(article[kept] * keys + key[kept], return_inverse=True)
    return pairs // keys, pairs % keys, np.bincount(index.ravel(), weights=weight[kept], minlength=len(pairs))


def _in_group(triples, local: np.ndarray):
    """The triples of the group's articles, their article as its position in the group."""
    article, key, weight = triples
    at = local[article]
    inside = at >= 0
    return at[inside], key[inside], weight[inside]


def _group_figures(sums: _ArticleSums, articles: np.ndarray, rng, resamples: int):
    """One group's figures and its replicates (rows: replicates, columns: `flat`'s figures in order)."""
    scheme, n = sums.scheme, len(articles)
    local = np.full(len(sums.weight), -1, np.int64)
    local[articles] = np.arange(n)
    numerators, denominators = sums.numerators[articles], sums.denominators[articles]
    quote_article, quote_speaker, quote_weight = _in_group(sums.quotes, local)
    speaker_names, quote_speaker = np.unique(quote_speaker, return_inverse=True)
    speakers = len(speaker_names)
    names = list(sums.names) + (["quotes:speakers", "quotes:top_five_share"] if sums.quote is not None else [])

    replicates = np.full((resamples if n else 0, len(names)), np.nan)
    row = 0
    if n:
        for counts in _resample_counts(rng, n, resamples):
            counts = counts.astype(np.float64)
            rows = slice(row, row + len(counts))
            replicates[rows, : len(sums.names)] = _ratio(counts @ numerators, counts @ denominators)
            if speakers:
                distinct, top, total = _speaker_replicates(
                    counts, quote_article, quote_speaker.ravel(), quote_weight, speakers
                )
                replicates[rows, len(sums.names)] = distinct
                replicates[rows, len(sums.names) + 1] = _ratio(top, total)
            row += len(counts)

    totals = np.bincount(quote_speaker.ravel(), weights=quote_weight, minlength=speakers)
    estimates = list(_ratio(numerators.sum(axis=0), denominators.sum(axis=0)))
    if sums.quote is not None:
        estimates += [float(speakers), _top_sum(totals[None, :])[0] / totals.sum() if speakers else None]
    flat = dict(zip(names, _figures(estimates, replicates, n), strict=True))

    figures = {
        "articles": n,
        "sentences": int(sums.sentences[articles].sum()),
        "weight": round(float(sums.weight[articles].sum()), 6),
        "shares": {category: flat[f"share:{category}"] for category in scheme.categories},
        "by_third": {
            part: {category: flat[f"third:{part}:{category}"] for category in scheme.categories} for part in THIRDS
        },
        "claims": None,
        "quotes": None,
    }
    if sums.claim is not None:
        figures["claims"] = {
            "weight": round(float(sums.claim_weight[articles].sum()), 6),
            "with_source": flat["claims:with_source"],
            "sources_per_claim": flat["claims:sources_per_claim"],
            "top_domains": _top_domains(_in_group(sums.cited, local), scheme.domains),
        }
    if sums.quote is not None:
        order = np.argsort(-totals.round(9), kind="stable")[:TOP_SPEAKERS]
        figures["quotes"] = {
            "weight": round(float(sums.quote_weight[articles].sum()), 6),
            "speakers": flat["quotes:speakers"],
            "top_five_share": flat["quotes:top_five_share"],
            "most_quoted": [
                {"speaker": scheme.speakers[speaker_names[i]], "quotes": round(float(totals[i]), 6)} for i in order
            ],
        }
    figures["flat"] = flat
    return figures, (names, replicates)


def _speaker_replicates(counts, pair_article, pair_speaker, pair_weight, speakers):
    """Per replicate (row of `counts`): distinct speakers quoted, the quotes of the top five, all quotes.

    Each replicate's quotes per speaker are `counts @ A`, A the group's articles x speakers quote
    weights; A is built and multiplied a block of speakers at a time so that memory stays bounded
    however many articles and speakers a group has, keeping a running top five per replicate.
    """
    rows, articles = counts.shape
    distinct, total = np.zeros(rows), np.zeros(rows)
    top = np.zeros((rows, 0))
    order = np.argsort(pair_speaker, kind="stable")
    pair_article, pair_speaker, pair_weight = pair_article[order], pair_speaker[order], pair_weight[order]
    width = max(1, _CHUNK_CELLS // max(articles, rows))
    for first in range(0, speakers, width):
        last = min(first + width, speakers)
        start, stop = np.searchsorted(pair_speaker, [first, last])
        block = np.bincount(
            pair_article[start:stop] * (last - first) + pair_speaker[start:stop] - first,
            weights=pair_weight[start:stop],
            minlength=articles * (last - first),
        ).reshape(articles, last - first)
        totals = counts @ block
        distinct += (totals > 0).sum(axis=1)
        total += totals.sum(axis=1)
        top = np.concatenate([top, totals], axis=1)
        if top.shape[1] > TOP_SPEAKERS:
            top = np.partition(top, -TOP_SPEAKERS, axis=1)[:, -TOP_SPEAKERS:]
    return distinct, top.sum(axis=1), total


def _top_sum(totals: np.ndarray) -> np.ndarray:
    """Per row, the sum of the TOP_SPEAKERS largest values."""
    if totals.shape[1] <= TOP_SPEAKERS:
        return totals.sum(axis=1)
    return np.partition(totals, -TOP_SPEAKERS, axis=1)[:, -TOP_SPEAKERS:].sum(axis=1)


def _top_domains(cited, domains: list[str]) -> list[dict]:
    """The most cited source domains of the group's claims, with the claim weight citing each."""
    _, domain, weight = cited
    weights = np.bincount(domain, weights=weight, minlength=len(domains))
    order = np.argsort(-weights.round(9), kind="stable")[:TOP_DOMAINS]  # equal sums tie whatever their order
    return [{"domain": domains[i], "claims": round(float(weights[i]), 6)} for i in order if weights[i] > 0]


def _differences(first: dict, second: dict, first_reps, second_reps) -> dict:
    """Each figure of `first` minus that of `second`, with the interval of the replicates' differences."""
    (names, first_reps), (_, second_reps) = first_reps, second_reps
    paired = min(len(first_reps), len(second_reps))
    estimates = [
        None
        if first["flat"][name]["estimate"] is None or second["flat"][name]["estimate"] is None
        else first["flat"][name]["estimate"] - second["flat"][name]["estimate"]
        for name in names
    ]
    replicates = first_reps[:paired] - second_reps[:paired]
    # The smaller group's articles set the widening: its spread dominates where they differ.
    figures = _figures(estimates, replicates, min(first["articles"], second["articles"]))
    for figure, column in zip(figures, replicates.T, strict=True):
        finite = column[np.isfinite(column)]
        if figure["estimate"] is None or not len(finite):
            figure["p"] = None
            continue
        # The bootstrap's two-sided p-value of "no difference": twice the smaller tail at 0, at least 1/resamples.
        tail = min((finite <= 0).mean(), (finite >= 0).mean())
        figure["p"] = round(float(min(1.0, max(2.0 * tail, 1.0 / len(finite)))), 6)
    return dict(zip(names, figures, strict=True))
