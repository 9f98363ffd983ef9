"""The one hook through which `annotator` tells other apps that labels changed.

Sent after the transaction that changed labels commits, with `project_id` and `document_ids`
(None when every article's labels changed meaning: the project's scale or label scheme changed).
`claims` listens to keep agreement reports fresh; `annotator` never imports `claims`.
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Annotation

labels_changed = Signal()


def announce_labels_changed(*, project_id: int, document_ids: list[int] | None) -> None:
    """Send `labels_changed` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(
        lambda: labels_changed.send(sender=Annotation, project_id=project_id, document_ids=document_ids)
    )
