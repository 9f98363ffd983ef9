"""Sentence boundaries and segmentation speed: Lede against syntok and pysbd on the same text.

Run: .venv/bin/python bench/segmentation.py
Prints boundary precision/recall on tests/annotator/data/sentence_boundaries.txt (the table in
docs/segmentation.md) and the time to segment a 200-sentence and a 2 MB article, and 2 MB (in UTF-8) of
Chinese, with syntok alone on the same paragraphs as the reference measured in the same run.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syntok import segmenter as syntok_segmenter  # noqa: E402

from annotator.text.boundaries import sentence_starts  # noqa: E402
from annotator.text.segmentation import segment_article  # noqa: E402
from tests.annotator.boundaries import load_cases, score  # noqa: E402

SAMPLE = ROOT / "annotator/fixtures/mosul-offensive-2016-10-24.md"
CHINESE = "北京市政府周二宣布了一项新的交通计划。“我们已经准备好了。”他说。该计划将在明年实施！市民对此有何看法？"


def syntok_starts(paragraph: str) -> list[int]:
    return [sentence[0].offset for tokens in syntok_segmenter.analyze(paragraph) for sentence in tokens if sentence]


def splitters() -> dict:
    found = {"syntok": syntok_starts}
    try:
        import pysbd
    except ImportError:
        print("pysbd is not installed (pip install pysbd): left out of the table")
    else:
        pysbd_segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        found["pysbd"] = lambda paragraph: [span.start for span in pysbd_segmenter.segment(paragraph)]
    found["Lede (rules)"] = sentence_starts
    return found


def accuracy_table() -> None:
    cases = load_cases()
    boundaries = sum(len(case.boundaries) for case in cases)
    print(f"{len(cases)} cases, {boundaries} boundaries\n")
    print("| splitter | precision | recall | cases wrong |")
    print("| --- | --- | --- | --- |")
    for name, split in splitters().items():
        result = score(split, cases)
        print(f"| {name} | {result.precision:.3f} | {result.recall:.3f} | {len(result.wrong_cases)} |")


def best_of(runs: int, work) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def speed_table() -> None:
    body = SAMPLE.read_text(encoding="utf-8").split("\n\n", 3)[3]
    short = "\n\n".join(["Gen. Smith said the U.S. would send 1.5 million tons. It did not."] * 100)
    big = ("Title\n\n" + body * (2_000_000 // len(body) + 1))[:2_000_000]
    paragraph = CHINESE * 10
    chinese = "\n\n".join([paragraph] * (2_000_000 // len((paragraph + "\n\n").encode()) + 1))
    chinese = chinese.encode()[:2_000_000].decode(errors="ignore")
    print("\n| article | Lede, whole pipeline | syntok alone on the same paragraphs |")
    print("| --- | --- | --- |")
    articles = (
        ("200 sentences", short, "text", 20),
        ("2 MB", big, "markdown", 2),
        ("2 MB Chinese", chinese, "text", 2),
    )
    for name, raw, fmt, runs in articles:
        paragraphs = segment_article(raw, fmt).text.split("\n\n")
        lede = best_of(runs, lambda raw=raw, fmt=fmt: segment_article(raw, fmt))
        alone = best_of(runs, lambda paragraphs=paragraphs: [syntok_starts(p) for p in paragraphs])
        print(f"| {name} | {lede * 1000:.1f} ms | {alone * 1000:.1f} ms |")


if __name__ == "__main__":
    accuracy_table()
    speed_table()
