"""Every write to projects, members, invitations, articles and labels goes through these functions.

One module per subject: `projects` (projects, label schemes, members), `invitations` (links that
let people join a project), `articles` (checking, splitting, saving, editing and deleting articles),
`imports` (bulk article imports run by a worker), `labelling` (a reviewer's label on a sentence),
`studies` (finished studies imported with their labels) and `tokens` (API tokens). Callers import
from here: `from annotator import services`.
"""

from .articles import (
    ArticleInput,
    delete_document,
    import_document,
    import_documents,
    parse_jsonl_articles,
    update_document,
)
from .imports import fail_article_import, request_article_import, run_article_import
from .invitations import accept_invitation, create_invitation, join_with_new_account, revoke_invitation
from .labelling import MAX_SOURCES, SourceInput, delete_annotation, find_label, label_sentence
from .projects import (
    add_annotators,
    add_member,
    append_labels,
    create_project,
    delete_project,
    remove_member,
    update_project,
)
from .studies import StudyDocument, StudyLabel, import_study
from .tokens import issue_token, revoke_token, revoke_tokens

__all__ = [
    "MAX_SOURCES",
    "ArticleInput",
    "SourceInput",
    "StudyDocument",
    "StudyLabel",
    "accept_invitation",
    "add_annotators",
    "add_member",
    "append_labels",
    "create_invitation",
    "create_project",
    "delete_annotation",
    "delete_document",
    "delete_project",
    "fail_article_import",
    "find_label",
    "import_document",
    "import_documents",
    "import_study",
    "issue_token",
    "join_with_new_account",
    "label_sentence",
    "parse_jsonl_articles",
    "remove_member",
    "request_article_import",
    "revoke_invitation",
    "revoke_token",
    "revoke_tokens",
    "run_article_import",
    "update_document",
    "update_project",
]
