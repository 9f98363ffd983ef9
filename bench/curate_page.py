"""Time to settled, in Chromium, of the curator screen and the annotation screen of a 2,000-sentence article.

Builds, in a dedicated PostgreSQL database (default `lede_bench_pages`, dropped and created
again), a project with one article of `--sentences` sentences labelled by 5 reviewers (a source,
a speaker or a note on some labels, a quarter of the sentences decided by a curator), starts
gunicorn with the production settings on a free loopback port, and opens in Chromium
(Playwright, /usr/bin/chromium), `--rounds` times each, in one run:

- the reference: the projects page (`/`) of the curator;
- the curator screen (`/documents/{id}/curate/`) of the curator;
- the annotation screen (`/documents/{id}/`) of one of the reviewers.

"Settled" is when the last request of the page has been answered and the page is drawn: the
later of the last response's end and the first frame after the page's script marks it ready
(`body[data-ready]`; the `load` event for the projects page), from the start of navigation, as
the page's own performance clock reads them. It also times 40 presses of j on each screen
(key down to the next frame) to show moving through a long article stays smooth. Prints medians.

Run: .venv/bin/python bench/curate_page.py [--sentences 2000] [--rounds 5] [--database lede_bench_pages]
"""

import argparse
import os
import random
import statistics
import sys
from pathlib import Path

from support import free_port, recreate_database, setup_django, start_production_server, stop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("LEDE_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "bench-pass-word-1"
REVIEWERS = 5

# Marks the moment the page is drawn: the frame after `body[data-ready]` appears (or after `load`
# on a page without it), read with the page's performance clock.
SETTLED_PROBE = """
(() => {
  const drawn = () => requestAnimationFrame(() => requestAnimationFrame(() => (window.__drawnAt = performance.now())));
  const watch = () => {
    if (document.body.dataset.ready) return drawn();
    new MutationObserver((_, observer) => {
      if (document.body.dataset.ready) { observer.disconnect(); drawn(); }
    }).observe(document.body, { attributes: true, attributeFilter: ["data-ready"] });
  };
  document.addEventListener("DOMContentLoaded", watch);
  window.__marksReady = () => Boolean(document.querySelector("script[src*='curate.js'], script[src*='annotate.js']"));
  window.addEventListener("load", () => { if (!window.__marksReady()) drawn(); });
})();
"""

SETTLED_AT = """
() => {
  const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
  return Math.max(window.__drawnAt, ...entries.map((e) => e.responseEnd));
}
"""

# One press of j, timed from key down to the next frame after the page handled it.
KEY_TO_FRAME = """
() => new Promise((resolve) => {
  const start = performance.now();
  document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
  requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
})
"""


def build(sentences: int) -> dict:
    """The project, its article, the curator and the reviewers; labels written with bulk_create."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from annotator import services
    from annotator.models import Annotation, Label, Membership, Role, Source
    from curation.models import Decision, Provenance

    User = get_user_model()
    curator = User.objects.create_user("bench-curator", password=PASSWORD)
    project = services.create_project(owner=curator, name="Pages")
    reviewers = []
    for number in range(REVIEWERS):
        reviewer = User.objects.create_user(f"bench-reviewer-{number}", password=PASSWORD)
        Membership.objects.create(project=project, user=reviewer, role=Role.ANNOTATOR)
        reviewers.append(reviewer)
    paragraphs = [
        " ".join(f"The minister said on Tuesday that plan {n + i} would cost more than expected." for i in range(5))
        for n in range(0, sentences, 5)
    ]
    document = services.import_document(
        project=project, created_by=curator, article=services.ArticleInput(text="\n\n".join(paragraphs), title="Long")
    )
    labels = list(Label.objects.filter(project=project).order_by("order"))
    chosen = random.Random(5)
    now = timezone.now()
    annotations = []
    for sentence in document.sentences.order_by("index"):
        truth = chosen.choice(labels)
        for reviewer in reviewers:
            annotations.append(
                Annotation(
                    sentence=sentence,
                    annotator=reviewer,
                    label=truth if chosen.random() < 0.7 else chosen.choice(labels),
                    speaker="The minister" if chosen.random() < 0.2 else "",
                    note="Checked against the press release." if chosen.random() < 0.1 else "",
                    created=now,
                    updated=now,
                )
            )
    Annotation.objects.bulk_create(annotations, batch_size=2000)
    Source.objects.bulk_create(
        Source(annotation=annotation, url=f"https://example.org/release/{annotation.pk}", title="Release")
        for annotation in annotations[::10]
    )
    Decision.objects.bulk_create(
        Decision(
            sentence=sentence,
            project=project,
            label=labels[0],
            provenance=Provenance.ADJUDICATED,
            decided_by=curator,
            decided_at=now,
        )
        for sentence in document.sentences.order_by("index")[::4]
    )
    return {"document": document.pk, "count": document.sentences.count(), "labels": len(annotations)}


def log_in(context, base: str, username: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.close()


def settled_ms(context, url: str) -> float:
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("window.__drawnAt !== undefined")
    settled = page.evaluate(SETTLED_AT)
    page.close()
    return settled


def key_presses_ms(context, url: str, presses: int = 40) -> list[float]:
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("body[data-ready=true]")
    times = [page.evaluate(KEY_TO_FRAME) for _ in range(presses)]
    page.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database", default="lede_bench_pages")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    database_url = f"{args.server}/{args.database}"
    recreate_database(args.server, args.database)
    setup_django(database_url)
    built = build(args.sentences)
    print(f"Built one article of {built['count']:,} sentences x {REVIEWERS} reviewers ({built['labels']:,} labels)")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_production_server(database_url, port, workers=args.workers)
    from playwright.sync_api import sync_playwright

    pages = {
        "projects page (reference)": ("bench-curator", "/"),
        "curator screen": ("bench-curator", f"/documents/{built['document']}/curate/"),
        "annotation screen": ("bench-reviewer-0", f"/documents/{built['document']}/"),
    }
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            contexts = {}
            for user in {user for user, _ in pages.values()}:
                contexts[user] = browser.new_context(viewport={"width": 1280, "height": 900})
                contexts[user].add_init_script(SETTLED_PROBE)
                log_in(contexts[user], base, user)
            times = {name: [] for name in pages}
            for user, path in pages.values():
                settled_ms(contexts[user], base + path)  # warm caches: the server's and the browser's
            for _ in range(args.rounds):
                for name, (user, path) in pages.items():
                    times[name].append(settled_ms(contexts[user], base + path))
            keys = {
                name: key_presses_ms(contexts[user], base + path)
                for name, (user, path) in pages.items()
                if "screen" in name
            }
            browser.close()
    finally:
        stop(server)

    print(
        f"\nChromium, gunicorn x{args.workers}, PostgreSQL; median of {args.rounds} loads after one warm-up"
        " (machine shared with other work: compare with the reference)"
    )
    print(f"{'page':<32}{'settled ms':>12}{'min':>8}{'max':>8}")
    for name, values in times.items():
        print(f"{name:<32}{statistics.median(values):>12.0f}{min(values):>8.0f}{max(values):>8.0f}")
    for name, values in keys.items():
        values = sorted(values)
        print(
            f"j on the {name}: median {statistics.median(values):.1f} ms, "
            f"p95 {values[int(0.95 * (len(values) - 1))]:.1f} ms, key down to next frame"
        )
    for name in ("curator screen", "annotation screen"):
        verdict = "met" if statistics.median(times[name]) < 1000 else "MISSED"
        print(f"{name}: target < 1000 ms {verdict}")


if __name__ == "__main__":
    main()
