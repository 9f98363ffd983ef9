"""factory_boy factories, one per model the tests build on, each writing through the service production uses."""

import io
import itertools
from collections.abc import Sequence
from pathlib import Path

import factory
from django.contrib.auth import get_user_model

from annotator import services
from annotator.models import Annotation, Document, Membership, Project, Role

SAMPLE_ARTICLE = (
    "Officials said the bridge would reopen on Monday. Critics called the plan reckless.\n\n"
    "\u201cWe will not wait any longer,\u201d the mayor said. The repairs cost $1.5 million."
)
# The demo's article, a real news page in Markdown (what `load_demo` imports).
DEMO_ARTICLE_PATH = Path(__file__).resolve().parents[1] / "annotator/fixtures/mosul-offensive-2016-10-24.md"
PASSWORD = "pass-word-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project created through the service, so it has the default labels and an owner."""

    class Meta:
        model = Project

    owner = factory.SubFactory(UserFactory)
    name = "Study"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_project(**kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A user given a role in a project through the service (an annotator unless told)."""

    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANNOTATOR

    @classmethod
    def _create(cls, model_class, *, project, user, role):
        return services.add_member(project=project, username=user.username, role=role)


class DocumentFactory(factory.django.DjangoModelFactory):
    """An article imported through the service, so that it is split into sentences; metadata as keywords."""

    class Meta:
        model = Document

    project = factory.SubFactory(ProjectFactory)
    created_by = None
    text = SAMPLE_ARTICLE

    @classmethod
    def _create(cls, model_class, *, project, created_by, text, **metadata):
        return services.import_document(
            project=project, created_by=created_by, article=services.ArticleInput(text=text, **metadata)
        )


class AnnotationFactory(factory.django.DjangoModelFactory):
    """A reviewer's label on a sentence, saved by `services.label_sentence` as the API saves it.

    Given `sentence` and `annotator`; `label` is the label's name (`claim` unless told), and
    `sources`, `speaker`, `note` and `actor` go to the service as given.
    """

    class Meta:
        model = Annotation

    label = "claim"

    @classmethod
    def _create(cls, model_class, *, sentence, annotator, label, **extra):
        return services.label_sentence(sentence=sentence, annotator=annotator, label_name=label, **extra)[0]


def named_file(name: str, content: bytes) -> io.BytesIO:
    """An upload for a multipart request: `content` under the file name `name`."""
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def add_member(project: Project, role: str, username: str | None = None):
    """A user with `role` in `project` (a new one unless `username` names an existing user); returns the user."""
    user = UserFactory(username=username) if username else UserFactory()
    return MembershipFactory(project=project, user=user, role=role).user


def label_document(document: Document, annotator, labels: str | Sequence[str], **extra) -> list[Annotation]:
    """`annotator` labels the document's sentences in order: `labels` is one name for every sentence, or
    a name per sentence (a shorter list leaves the last sentences unlabelled)."""
    names = itertools.repeat(labels) if isinstance(labels, str) else labels
    return [
        AnnotationFactory(sentence=sentence, annotator=annotator, label=name, **extra)
        for sentence, name in zip(document.sentences.order_by("index"), names, strict=False)
    ]
