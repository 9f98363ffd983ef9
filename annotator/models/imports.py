"""Bulk imports of articles, run by a worker."""

from django.db import models

from annotator.jobs import Job

from .projects import Project


class ArticleImport(Job):
    """A bulk import of articles (JSONL), or one page to fetch by its `url`, that a worker splits into
    sentences and saves, all or none.

    `processed` counts the articles split so far, of `articles` (splitting is 0-90 of `progress`,
    saving the rest); `documents` holds the ids created once it is ready; `error` names the
    article at fault, a message a line, when it failed (then nothing was saved). The uploaded
    file is kept under MEDIA_ROOT/imports/ until the import finishes. A page's import has a `url`
    and no file; `article` holds what the lead said about the article (title, author, topics...),
    which wins over what the page says.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="article_imports")
    file = models.FileField(upload_to="imports/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    articles = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    documents = models.JSONField(default=list, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    article = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Import {self.pk} of project {self.project_id}: {self.status}"
