"""How fast Lede's own model trains and labels: a 50,000-sentence training set, and labelling on one core.

Targets (issue 28): the whole training of a version (cross-validated card and the final fit) under
60 s on 2 cores; labelling at least 10,000 sentences a second on one core. The reference beside
each figure is scikit-learn's own `TfidfVectorizer` doing the same counting, from the same run.

    .venv/bin/python bench/model_speed.py [--sentences 50000]
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.feature_extraction.text import CountVectorizer

from machine import classifier


def synthetic_sentences(n: int, seed: int = 0) -> tuple[list[str], np.ndarray, np.ndarray]:
    """News-like sentences of 12 to 30 words from a Zipfian vocabulary of 20,000 made-up words; each of
    three labels has its own cue words, so the model has something to learn; 20 sentences an article."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocabulary = ["".join(rng.choice(letters, rng.integers(2, 10))) for _ in range(20_000)]
    weights = 1 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    cues = [vocabulary[100 * k + 50 : 100 * k + 80] for k in range(3)]
    labels = rng.integers(0, 3, n)
    lengths = rng.integers(12, 30, n)
    words = np.array(vocabulary, dtype=object)[rng.choice(len(vocabulary), lengths.sum(), p=weights)]
    ends = np.cumsum(lengths)
    texts = []
    for label, end, length in zip(labels, ends, lengths, strict=True):
        sentence = list(words[end - length : end])
        sentence[rng.integers(length)] = cues[label][rng.integers(30)]
        texts.append(" ".join(sentence).capitalize() + ".")
    return texts, labels, np.arange(n) // 20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=50_000)
    args = parser.parse_args()
    texts, labels, articles = synthetic_sentences(args.sentences)
    print(f"{args.sentences:,} synthetic sentences, {os.cpu_count()} cores", flush=True)

    # CPU seconds beside wall seconds: on a shared machine the wall clock counts other people's work too.
    start, cpu = time.perf_counter(), time.process_time()
    fitted = classifier.fit(texts, labels)
    fit_seconds, fit_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    folds = classifier.cross_validate(texts, labels, articles)
    cv_seconds, cv_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"fit once: {fit_seconds:.1f} s ({fit_cpu:.1f} CPU s)", flush=True)
    print(f"cross-validation ({folds.folds} folds by article): {cv_seconds:.1f} s ({cv_cpu:.1f} CPU s)")
    total, total_cpu = fit_seconds + cv_seconds, fit_cpu + cv_cpu
    print(f"a version's whole training (card + fit): {total:.1f} s ({total_cpu:.1f} CPU s; target < 60 s)")
    print(f"cross-validated accuracy {np.mean(folds.predicted == labels):.3f}")

    sample = texts[:20_000]
    start, cpu = time.perf_counter(), time.process_time()
    classifier.predict(fitted, sample)
    rate, cpu_rate = len(sample) / (time.perf_counter() - start), len(sample) / (time.process_time() - cpu)
    print(f"labelling: {rate:,.0f} sentences/s ({cpu_rate:,.0f} per CPU second; target >= 10,000 on one core)")
    reference = CountVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2).fit(texts[:5000])
    start, cpu = time.perf_counter(), time.process_time()
    reference.transform(sample)
    rate, cpu_rate = len(sample) / (time.perf_counter() - start), len(sample) / (time.process_time() - cpu)
    print(f"reference, scikit-learn's char_wb counting alone: {rate:,.0f} sentences/s ({cpu_rate:,.0f} per CPU second)")


if __name__ == "__main__":
    main()
