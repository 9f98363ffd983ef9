"""Load a demo: a lead, three reviewers with known passwords, and a project holding the sample article."""

from importlib import resources

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from annotator import services
from annotator.models import Project, Role

DEMO_PROJECT = "Demo: Mosul offensive (2016)"
DEMO_USERS = (
    ("lead", Role.OWNER),
    ("ana", Role.ANNOTATOR),
    ("ben", Role.ANNOTATOR),
    ("cleo", Role.ANNOTATOR),
)
DEMO_PASSWORD = "lede-demo-2026"
SAMPLE = "mosul-offensive-2016-10-24.md"


class Command(BaseCommand):
    help = "Create demo users and a demo project with the sample article (safe to run twice)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        users = {}
        for username, _role in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = user.is_superuser = username == "lead"
                user.save()
            users[username] = user
        project = Project.objects.filter(name=DEMO_PROJECT).first()
        if project is None:
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
        self.stdout.write(self.style.SUCCESS(f"Demo project: {project.name} (id {project.pk})"))
        self.stdout.write("Log in at http://127.0.0.1:8000/accounts/login/ as any of these demo users:")
        for username, role in DEMO_USERS:
            self.stdout.write(f"  {username:<6} {role:<10} password: {DEMO_PASSWORD}")
