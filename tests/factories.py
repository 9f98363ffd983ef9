"""factory_boy factories for the models tests build on."""

import factory
from django.contrib.auth import get_user_model

from annotator import services
from annotator.models import Membership, Project, Role

SAMPLE_ARTICLE = (
    "Officials said the bridge would reopen on Monday. Critics called the plan reckless.\n\n"
    "\u201cWe will not wait any longer,\u201d the mayor said. The repairs cost $1.5 million."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project created through the service, so it has the default labels and an owner."""

    class Meta:
        model = Project

    @classmethod
    def _create(cls, model_class, *args, owner=None, **kwargs):
        return services.create_project(owner=owner or UserFactory(), name=kwargs.pop("name", "Study"), **kwargs)


def add_member(project: Project, role: str, username: str | None = None):
    user = UserFactory(username=username) if username else UserFactory()
    Membership.objects.create(project=project, user=user, role=role)
    return user


def import_article(project: Project, text: str = SAMPLE_ARTICLE, **metadata):
    return services.import_document(
        project=project, created_by=None, article=services.ArticleInput(text=text, **metadata)
    )


__all__ = ["SAMPLE_ARTICLE", "ProjectFactory", "Role", "UserFactory", "add_member", "import_article"]
