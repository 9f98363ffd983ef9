"""Every write to projects, members, invitations, articles and labels goes through these functions.

One module per subject: `projects` (projects, label schemes, members), `invitations` (links that
let people join a project), `articles` (checking, splitting, saving, editing and deleting articles), `outlets` (a
project's list of outlets and recognising an article's),
`imports` (bulk article imports and pages fetched by
address, run by a worker), `labelling` (a reviewer's label on a sentence), `assignments`
(who labels which article: overlap, calibration and training), `training` (the design's refusals, first
answers, a lead's decision on a reviewer's training), `references` (training articles' reference
labels),
`studies` (finished studies imported with their labels) and `tokens` (API tokens).
Callers import from here: `from annotator import services`.
"""

from .articles import (
    ArticleInput,
    delete_document,
    fetch_web_page,
    import_document,
    import_documents,
    parse_jsonl_articles,
    restore_removed_text,
    update_document,
)
from .assignments import (
    assign,
    next_assignment,
    set_document_design,
    settle_finished,
    unassign,
)
from .imports import (
    fail_article_import,
    recover_stalled_imports,
    request_article_import,
    request_page_import,
    run_article_import,
)
from .invitations import accept_invitation, create_invitation, join_with_new_account, revoke_invitation
from .labelling import MAX_SOURCES, SourceInput, check_sources, delete_annotation, find_label, label_sentence
from .outlets import create_outlet, delete_outlet, update_outlet, web_domain
from .projects import (
    add_annotators,
    add_member,
    append_labels,
    create_project,
    delete_project,
    remove_member,
    update_project,
)
from .references import (
    ReferenceInput,
    import_references,
    read_references,
    references_from_decisions,
    set_reference,
)
from .studies import StudyDocument, StudyLabel, import_annotations, import_study
from .tokens import issue_token, revoke_token, revoke_tokens
from .training import check_may_label, decide_training, has_design, reveal_reference

__all__ = [
    "MAX_SOURCES",
    "ArticleInput",
    "ReferenceInput",
    "SourceInput",
    "StudyDocument",
    "StudyLabel",
    "accept_invitation",
    "add_annotators",
    "add_member",
    "append_labels",
    "assign",
    "check_may_label",
    "check_sources",
    "create_invitation",
    "create_outlet",
    "create_project",
    "decide_training",
    "delete_annotation",
    "delete_document",
    "delete_outlet",
    "delete_project",
    "fail_article_import",
    "fetch_web_page",
    "find_label",
    "has_design",
    "import_annotations",
    "import_document",
    "import_documents",
    "import_references",
    "import_study",
    "issue_token",
    "join_with_new_account",
    "label_sentence",
    "next_assignment",
    "parse_jsonl_articles",
    "read_references",
    "recover_stalled_imports",
    "references_from_decisions",
    "remove_member",
    "request_article_import",
    "request_page_import",
    "restore_removed_text",
    "reveal_reference",
    "revoke_invitation",
    "revoke_token",
    "revoke_tokens",
    "run_article_import",
    "set_document_design",
    "set_reference",
    "settle_finished",
    "unassign",
    "update_document",
    "update_outlet",
    "update_project",
    "web_domain",
]
