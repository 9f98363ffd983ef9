"""Every write to projects, members, articles and labels goes through these functions.

One module per subject: `projects` (projects, label schemes, members), `articles` (checking,
splitting, saving and deleting articles), `imports` (bulk article imports run by a worker),
`labelling` (a reviewer's label on a sentence) and `studies` (finished studies imported with
their labels). Callers import from here: `from annotator import services`.
"""

from .articles import (
    ArticleInput,
    delete_document,
    fetch_web_page,
    import_document,
    import_documents,
    parse_jsonl_articles,
    restore_removed_text,
)
from .imports import fail_article_import, request_article_import, run_article_import
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

__all__ = [
    "MAX_SOURCES",
    "ArticleInput",
    "SourceInput",
    "StudyDocument",
    "StudyLabel",
    "add_annotators",
    "add_member",
    "append_labels",
    "create_project",
    "delete_annotation",
    "delete_document",
    "delete_project",
    "fail_article_import",
    "fetch_web_page",
    "find_label",
    "import_document",
    "import_documents",
    "import_study",
    "label_sentence",
    "parse_jsonl_articles",
    "remove_member",
    "request_article_import",
    "restore_removed_text",
    "run_article_import",
    "update_project",
]
