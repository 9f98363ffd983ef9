"""Load a demo: a lead, three reviewers with known passwords, the sample article and the reviewers' labels."""

from importlib import resources

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from annotator import services
from annotator.models import Annotation, Document, Project, Role

DEMO_PROJECT = "Demo: Mosul offensive (2016)"
DEMO_USERS = (
    ("lead", Role.OWNER),
    ("ana", Role.ANNOTATOR),
    ("ben", Role.ANNOTATOR),
    ("cleo", Role.ANNOTATOR),
)
REVIEWERS = ("ana", "ben", "cleo")
DEMO_PASSWORD = "lede-demo-2026"
SAMPLE = "mosul-offensive-2016-10-24.md"

# What each reviewer says of a sentence of the sample article (by its index): one letter per
# reviewer in REVIEWERS' order, c(laim), q(uote), o(pinion) or - (not labelled). Most sentences
# agree, a few do not, so that the agreement page has figures and the curator page contested rows.
DEMO_LABELS = {
    0: "ccc", 1: "ccc", 2: "ccq", 3: "cco", 4: "ccq", 5: "qqq", 6: "ccc", 7: "coc", 8: "occ",
    9: "qqc", 10: "qqq", 11: "qqq", 12: "qq-", 13: "ooc", 14: "oco", 15: "ccc", 18: "ooo", 19: "ooo",
    24: "ooo", 25: "cco", 27: "ooo", 31: "ccc", 32: "qqq", 33: "qqq", 34: "ooo", 37: "ccc", 38: "qcq",
    39: "ccc", 41: "qqq",
}  # fmt: skip
LABEL_NAMES = {"c": "claim", "q": "quote", "o": "opinion"}
# The source a reviewer attaches to a claim, and the speaker of a quote, by sentence index.
DEMO_SOURCES = {
    1: services.SourceInput(url="https://www.defense.gov/News/", title="US Department of Defense: news"),
    31: services.SourceInput(url="https://press.un.org/en", title="UN meetings coverage and press releases"),
    37: services.SourceInput(url="https://www.unocha.org/iraq", title="OCHA: Iraq", note="displacement figures"),
    39: services.SourceInput(url="https://www.unocha.org/iraq", title="OCHA: Iraq"),
}
DEMO_SPEAKERS = {
    2: "Ashton Carter", 4: "Haider al-Abadi", 5: "Haider al-Abadi", 9: "Recep Tayyip Erdogan",
    10: "Recep Tayyip Erdogan", 11: "Recep Tayyip Erdogan", 12: "Recep Tayyip Erdogan", 32: "Ned Price",
    33: "Ned Price", 38: "Peter Hawkins", 41: "William Spindler",
}  # fmt: skip


class Command(BaseCommand):
    help = "Create demo users and a demo project with the sample article and reviewers' labels (safe to run twice)."

    @transaction.atomic
    def handle(self, *args, **options):
        users = self.demo_users()
        project = Project.objects.filter(name=DEMO_PROJECT).first()
        if project is None:
            project = self.demo_project(users)
        document = project.documents.order_by("pk").first()
        if document is not None:
            added = self.label(document, users)
            if added:
                self.stdout.write(f"Added {added} labels from {', '.join(REVIEWERS)}.")
        self.stdout.write(self.style.SUCCESS(f"Demo project: {project.name} (id {project.pk})"))
        self.stdout.write("Log in at http://127.0.0.1:8000/accounts/login/ as any of these demo users:")
        for username, role in DEMO_USERS:
            self.stdout.write(f"  {username:<6} {role:<10} password: {DEMO_PASSWORD}")

    def demo_users(self) -> dict:
        User = get_user_model()
        users = {}
        for username, _role in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = user.is_superuser = username == "lead"
                user.save()
            users[username] = user
        return users

    def demo_project(self, users: dict) -> Project:
        project = services.create_project(
            owner=users["lead"],
            name=DEMO_PROJECT,
            description="Label each sentence of the article as a claim, a quote or an opinion.",
        )
        for username, role in DEMO_USERS[1:]:
            services.add_member(project=project, username=username, role=role)
        text = resources.files("annotator").joinpath("fixtures", SAMPLE).read_text(encoding="utf-8")
        document = services.import_document(
            project=project,
            created_by=users["lead"],
            article=services.ArticleInput(
                text=text,
                format="markdown",
                outlet="World Socialist Web Site",
                url="https://www.wsws.org/en/articles/2016/10/24/mosu-o24.html",
            ),
        )
        self.stdout.write(f"Imported '{document.title}' ({document.sentences.count()} sentences).")
        return project

    def label(self, document: Document, users: dict) -> int:
        """Give each reviewer the demo's labels on the sentences they have not labelled; return how many were added.

        A sentence a reviewer has labelled already (by an earlier run, or by hand in the demo) is left as it is.
        """
        sentences = {sentence.index: sentence for sentence in document.sentences.filter(index__in=DEMO_LABELS)}
        added = 0
        for position, username in enumerate(REVIEWERS):
            reviewer = users[username]
            done = set(
                Annotation.objects.filter(sentence__document=document, annotator=reviewer).values_list(
                    "sentence__index", flat=True
                )
            )
            for index, letters in DEMO_LABELS.items():
                label = LABEL_NAMES.get(letters[position])
                if label is None or index in done or index not in sentences:
                    continue
                services.label_sentence(
                    sentence=sentences[index],
                    annotator=reviewer,
                    label_name=label,
                    sources=[DEMO_SOURCES[index]] if label == "claim" and index in DEMO_SOURCES else [],
                    speaker=DEMO_SPEAKERS.get(index, "") if label == "quote" else "",
                )
                added += 1
        return added
