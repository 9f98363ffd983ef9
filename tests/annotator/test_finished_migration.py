"""Migration 0017 makes every assignment's `finished` agree with its reviewer's labels."""

import pytest
from django.utils import timezone

from ..migration_steps import migrate, models_before

BEFORE = [("annotator", "0016_sentence_document_found_by_its_unique_index")]
AFTER = [("annotator", "0017_assignment_finished_exact")]


@pytest.fixture
def before(transactional_db):
    yield from models_before(BEFORE)


def test_assignments_made_before_are_finished_exactly_when_every_sentence_is_labelled(before):
    model = before.get_model
    reviewer = model("auth", "User").objects.create(username="anna")
    project = model("annotator", "Project").objects.create(name="Bridge study")
    label = model("annotator", "Label").objects.create(project=project, name="claim")
    assignments = {}
    for name, labelled, finished in (("labelled", 2, None), ("half", 1, timezone.now()), ("open", 0, None)):
        document = model("annotator", "Document").objects.create(project=project, text="One. Two.")
        for index in range(2):
            sentence = model("annotator", "Sentence").objects.create(
                document=document, index=index, paragraph=0, start=index * 5, end=index * 5 + 4, text="One."
            )
            if index < labelled:
                model("annotator", "Annotation").objects.create(sentence=sentence, annotator=reviewer, label=label)
        assignments[name] = model("annotator", "Assignment").objects.create(
            project=project, document=document, reviewer=reviewer, finished=finished
        )

    after = migrate(AFTER).get_model("annotator", "Assignment").objects
    finished = {name: after.get(pk=a.pk).finished is not None for name, a in assignments.items()}
    assert finished == {"labelled": True, "half": False, "open": False}
