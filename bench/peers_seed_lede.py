"""Seed Lede's template database for the side-by-side bench against doccano and Label Studio.

Run by the harness in `../shared/peers` (see `bench/peers.md`) with Lede's virtualenv, after
`migrate`, as `python bench/peers_seed_lede.py DATA_DIR` with the production settings in the
environment and `PEER_PASSWORD` set. It replaces the harness's own `seed_lede.py`, which issues
Django REST framework's `authtoken` tokens: Lede does not install that app, and signs API requests
with its own expiring tokens (`services.issue_token`; the harness seeds with a year's
`API_TOKEN_TTL_HOURS` so that a kept template's tokens still work).

Everything is written through Lede's services, as `bench/label_throughput.py` does: an owner and
nine reviewers with API tokens; project A (labelling: 10 articles x 200 sentences + a 40-sentence
warm-up article, the reviewers annotators, the default scheme claim/quote/opinion, blind), project
B (empty, for the bulk import) and project C (export: the same 2,000 sentences with 16,000 labels,
one per sentence from each of reviewers 1-8, written with `bulk_create` as Lede's study import
does). The last line printed is the state (tokens, ids) as JSON, which the harness reads.
"""

import json
import os
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from annotator import services  # noqa: E402
from annotator.models import Annotation, Label, Role  # noqa: E402

DATA = sys.argv[1]
PASSWORD = os.environ["PEER_PASSWORD"]
User = get_user_model()
with open(os.path.join(DATA, "lede_articles.json"), encoding="utf-8") as f:
    articles = json.load(f)

owner = User.objects.create_user("owner", password=PASSWORD)
reviewers = [User.objects.create_user(f"reviewer{n}", password=PASSWORD) for n in range(9)]
tokens = {user.username: services.issue_token(user=user)[0] for user in [owner, *reviewers]}


def project(name, with_articles):
    p = services.create_project(owner=owner, name=name)
    for user in reviewers:
        services.add_member(project=p, username=user.username, role=Role.ANNOTATOR)
    docs = services.import_documents(
        project=p,
        created_by=owner,
        articles=[services.ArticleInput(text=a["text"], title=a["title"]) for a in with_articles],
    )
    return p, docs


def sentence_ids(docs) -> list[int]:
    return [s for d in docs for s in d.sentences.order_by("index").values_list("id", flat=True)]


a, a_docs = project("Bench labelling", articles)
items = sentence_ids(a_docs)
assert len(items) == 2040, len(items)
b = services.create_project(owner=owner, name="Bench import")
c, c_docs = project("Bench export", articles[:10])
c_items = sentence_ids(c_docs)
labels = list(Label.objects.filter(project=c).order_by("order", "id"))


def export_label(item: int, reviewer: int) -> int:
    """Deterministic labels with moderate agreement: a 'true' label, kept by ~75% of reviewers."""
    true = (item * 7919) % 3
    return true if (item * 31 + reviewer * 17) % 4 else (true + 1 + reviewer % 2) % 3


Annotation.objects.bulk_create(
    (
        Annotation(sentence_id=s, annotator=reviewers[r], label=labels[export_label(i, r)])
        for i, s in enumerate(c_items)
        for r in range(1, 9)
    ),
    batch_size=4000,
)
assert Annotation.objects.filter(sentence__document__project=c).count() == 16000
print(
    json.dumps(
        {
            "tokens": tokens,
            "projects": {"label": a.pk, "import": b.pk, "export": c.pk},
            "documents": [d.pk for d in a_docs],
            "items": items,
            "labels": ["claim", "quote", "opinion"],
        }
    )
)
