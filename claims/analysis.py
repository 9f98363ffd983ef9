"""What the labels say about the coverage of groups of articles, with bootstrap intervals: NumPy in, numbers out.

Nothing here imports Django. The reader (`claims.analyses.reading`) gives every reviewer's label
as arrays (`Labels`) and each sentence's article and third of its article (`Sentences`); a basis
turns the labels into weighted units, one function per basis:

- `labels_basis`: every reviewer's label, each weighing 1/k on a sentence with k labels, so every
  labelled sentence weighs 1 however many reviewers read it;
- `plurality_basis`: the most frequent label of each sentence (tied labels share the sentence's
  weight equally). Its sources are the most any reviewer who gave that label cited, its speaker
  the name those reviewers gave most often, its source domains all those they cited.

`analyse` computes, for each group of articles (an outlet, a leaning, a topic, a month):

- the share of the labelled sentences' weight that each label has, overall and in each third of
  the article (first, middle, last, by the sentence's position in its article);
- for the label named `claim`: the share of claims with at least one source, the sources per
  claim, the most cited source domains;
- for the label named `quote`: the number of distinct speakers, the most quoted, and the share
  of the quotes with a named speaker that the five most quoted have.

Each figure comes with a 95% percentile interval from a bootstrap that resamples the group's
*articles* with replacement, since the sentences of one article are not independent. For
reproducibility the draws are fixed: one `numpy.random.default_rng(seed)`, and for each group in
the order given, `rng.integers(0, n, size=(resamples, n))` over its `n` articles in the order
given (drawn in chunks of rows, which yields the same numbers); the interval is
`numpy.nanquantile(replicates, [0.025, 0.975])` (a replicate whose denominator is 0 is NaN). Groups
are resampled independently, so the difference of two groups' replicates, drawn side by side,
is a replicate of their difference: `differences` gives it, with its interval, for every pair
among the `max_compared` groups with the most articles. Lists (most quoted, most cited domains)
are point estimates. A figure with nothing to count is None.
"""

from dataclasses import dataclass, field

import numpy as np

THIRDS = ("first", "middle", "last")
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
) -> dict:
    """Figures with intervals for each group (name, its article indices), and differences between groups."""
    rng = np.random.default_rng(seed)
    article_of_unit = sentences.article[units.sentence]
    groups = [(name, np.asarray(articles, np.int64)) for name, articles in groups]
    article_count = 1 + max([-1, *(int(articles.max()) for _, articles in groups if len(articles))])
    article_count = max(article_count, int(sentences.article.max()) + 1 if len(sentences.article) else 0)
    results, replicates = [], {}
    for name, articles in groups:
        local = np.full(article_count, -1, np.int64)
        local[articles] = np.arange(len(articles))
        figures, reps = _group_figures(units, sentences, local[article_of_unit], len(articles), scheme, rng, resamples)
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
    for group in results:
        del group["flat"]
    return {"groups": results, "differences": differences}


def _interval(values: np.ndarray) -> list[float] | None:
    finite = values[np.isfinite(values)]
    if not len(finite):
        return None
    low, high = np.quantile(finite, [0.025, 0.975])
    return [round(float(low), 6), round(float(high), 6)]


def _figure(estimate: float, reps: np.ndarray) -> dict:
    if estimate is None or not np.isfinite(estimate):
        return {"estimate": None, "ci95": None}
    return {"estimate": round(float(estimate), 6), "ci95": _interval(reps)}


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


def _group_figures(units, sentences, local_article, n, scheme, rng, resamples):
    """One group's figures (`local_article`: each unit's article's position in the group, -1 outside it)."""
    claim, quote = scheme.index_of("claim"), scheme.index_of("quote")
    inside = local_article >= 0
    at = local_article[inside]
    label, weight = units.label[inside], units.weight[inside]
    third = sentences.third[units.sentence[inside]].astype(np.int64)

    # Ratio figures: per-article numerators and denominators, one column each.
    columns = []  # (name, numerator weights, denominator weights)
    for index, category in enumerate(scheme.categories):
        columns.append((f"share:{category}", weight * (label == index), weight))
    for position, part in enumerate(THIRDS):
        in_part = third == position
        for index, category in enumerate(scheme.categories):
            columns.append((f"third:{part}:{category}", weight * in_part * (label == index), weight * in_part))
    if claim is not None:
        claim_weight = weight * (label == claim)
        sources = units.sources[inside]
        columns.append(("claims:with_source", claim_weight * (sources > 0), claim_weight))
        columns.append(("claims:sources_per_claim", claim_weight * sources, claim_weight))
    numerators = np.stack([np.bincount(at, weights=num, minlength=n) for _, num, _ in columns], axis=1)
    denominators = np.stack([np.bincount(at, weights=den, minlength=n) for _, _, den in columns], axis=1)

    # Quotes with a named speaker: weight per (article, speaker).
    quoted = np.zeros(0, bool)
    if quote is not None:
        quoted = (label == quote) & (units.speaker[inside] >= 0)
    speaker_names, speaker_local = np.unique(units.speaker[inside][quoted], return_inverse=True)
    pair_keys, pair_index = np.unique(at[quoted] * max(len(speaker_names), 1) + speaker_local, return_inverse=True)
    pair_weight = np.bincount(pair_index, weights=weight[quoted], minlength=len(pair_keys))
    pair_article = pair_keys // max(len(speaker_names), 1)
    pair_speaker = pair_keys % max(len(speaker_names), 1)
    speakers = len(speaker_names)

    ratio_reps, speaker_reps, top_reps = [], [], []
    if n:
        for counts in _resample_counts(rng, n, resamples):
            counts = counts.astype(np.float64)
            ratio_reps.append(_ratio(counts @ numerators, counts @ denominators))
            if speakers:
                distinct, top, total = _speaker_replicates(counts, pair_article, pair_speaker, pair_weight, speakers)
                speaker_reps.append(distinct)
                top_reps.append(_ratio(top, total))
    ratio_reps = np.concatenate(ratio_reps) if ratio_reps else np.full((0, len(columns)), np.nan)
    estimates = _ratio(numerators.sum(axis=0), denominators.sum(axis=0))
    reps = {name: ratio_reps[:, column] for column, (name, _, _) in enumerate(columns)}
    flat = {name: _figure(estimates[column], reps[name]) for column, (name, _, _) in enumerate(columns)}

    totals = np.bincount(pair_speaker, weights=pair_weight, minlength=speakers)
    if quote is not None:
        reps["quotes:speakers"] = np.concatenate(speaker_reps) if speaker_reps else np.zeros(0)
        reps["quotes:top_five_share"] = np.concatenate(top_reps) if top_reps else np.zeros(0)
        flat["quotes:speakers"] = _figure(float(speakers), reps["quotes:speakers"])
        top_share = _top_sum(totals[None, :])[0] / totals.sum() if speakers else None
        flat["quotes:top_five_share"] = _figure(top_share, reps["quotes:top_five_share"])

    figures = {
        "articles": n,
        "sentences": int(np.unique(units.sentence[inside]).size),
        "weight": round(float(weight.sum()), 6),
        "shares": {category: flat[f"share:{category}"] for category in scheme.categories},
        "by_third": {
            part: {category: flat[f"third:{part}:{category}"] for category in scheme.categories} for part in THIRDS
        },
        "claims": None,
        "quotes": None,
    }
    if claim is not None:
        figures["claims"] = {
            "weight": round(float((weight * (label == claim)).sum()), 6),
            "with_source": flat["claims:with_source"],
            "sources_per_claim": flat["claims:sources_per_claim"],
            "top_domains": _top_domains(units, inside, claim, scheme.domains),
        }
    if quote is not None:
        order = np.argsort(-totals, kind="stable")[:TOP_SPEAKERS]
        figures["quotes"] = {
            "weight": round(float((weight * (label == quote)).sum()), 6),
            "speakers": flat["quotes:speakers"],
            "top_five_share": flat["quotes:top_five_share"],
            "most_quoted": [
                {"speaker": scheme.speakers[speaker_names[i]], "quotes": round(float(totals[i]), 6)} for i in order
            ],
        }
    figures["flat"] = flat
    return figures, reps


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


def _top_domains(units: Units, inside: np.ndarray, claim: int, domains: list[str]) -> list[dict]:
    """The most cited source domains of the group's claims, with the claim weight citing each."""
    if not len(units.cited_unit):
        return []
    cited = inside[units.cited_unit] & (units.label[units.cited_unit] == claim)
    weights = np.bincount(
        units.cited_domain[cited], weights=units.weight[units.cited_unit[cited]], minlength=len(domains)
    )
    order = np.argsort(-weights, kind="stable")[:TOP_DOMAINS]
    return [{"domain": domains[i], "claims": round(float(weights[i]), 6)} for i in order if weights[i] > 0]


def _differences(first: dict, second: dict, first_reps: dict, second_reps: dict) -> dict:
    """Each figure of `first` minus that of `second`, with the interval of the replicates' differences."""
    result = {}
    for name, figure in first["flat"].items():
        other = second["flat"].get(name)
        if other is None or figure["estimate"] is None or other["estimate"] is None:
            result[name] = {"estimate": None, "ci95": None}
            continue
        paired = min(len(first_reps[name]), len(second_reps[name]))
        result[name] = _figure(
            figure["estimate"] - other["estimate"], first_reps[name][:paired] - second_reps[name][:paired]
        )
    return result
