"""The one hook through which `curation` tells other apps that a project's decisions changed.

Sent after the transaction that changed them commits, with `project_id`. `claims` listens to
recompute the project's agreement report, whose quality-against-gold figures read the decisions;
`curation` never imports `claims`.
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Decision

decisions_changed = Signal()


def announce_decisions_changed(*, project_id: int) -> None:
    """Send `decisions_changed` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: decisions_changed.send(sender=Decision, project_id=project_id))
