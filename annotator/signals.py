"""The one hook through which `annotator` tells other apps that labels changed.

Sent after the transaction that changed labels commits, with `project_id` and `document_ids`.
`claims` listens to keep agreement reports fresh; `annotator` never imports `claims`.
"""

from django.dispatch import Signal

labels_changed = Signal()
