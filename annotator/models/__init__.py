"""Lede's data, one module a subject.

`projects` (projects, label schemes, members and their roles, outlets), `invitations` (links that
let people join a project), `documents` (articles and their sentences), `imports` (bulk article
imports run by a worker), `annotations` (reviewers' labels, their sources, the history of every
change, training's reference labels and reviewers' first answers) and `assignments` (who labels which article).
Callers import from here: `from annotator.models import Project`.
"""

from .annotations import Annotation, AnnotationEvent, ReferenceLabel, Source, SourceFields, TrainingAnswer
from .assignments import Assignment
from .documents import Document, Sentence
from .imports import ArticleImport
from .invitations import Invitation
from .projects import (
    DEFAULT_LABELS,
    Label,
    Membership,
    Outlet,
    Project,
    Role,
    Scale,
    TrainingDecision,
    default_leanings,
)

__all__ = [
    "DEFAULT_LABELS",
    "Annotation",
    "AnnotationEvent",
    "ArticleImport",
    "Assignment",
    "Document",
    "Invitation",
    "Label",
    "Membership",
    "Outlet",
    "Project",
    "ReferenceLabel",
    "Role",
    "Scale",
    "Sentence",
    "Source",
    "SourceFields",
    "TrainingAnswer",
    "TrainingDecision",
    "default_leanings",
]
