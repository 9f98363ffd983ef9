"""What each role may do in a project: the role sets that the API, the pages and `claims` check.

Every member views the project. Owners manage it (its settings, label scheme and members);
owners and curators curate it (import articles and studies, read the history of labels, open
its Manage page); owners, curators and annotators label sentences. Owners, curators and viewers
see every reviewer's label, and so read the agreement reports and exports computed from them;
annotators see every label, and read the reports over the API, only while the project is not
blind (`seeing_all_labels`).
"""

from .models import Project, Role

CAN_VIEW = frozenset(Role.values)
CAN_MANAGE = frozenset({Role.OWNER})
CAN_CURATE = frozenset({Role.OWNER, Role.CURATOR})
CAN_LABEL = frozenset({Role.OWNER, Role.CURATOR, Role.ANNOTATOR})
CAN_SEE_ALL_LABELS = frozenset({Role.OWNER, Role.CURATOR, Role.VIEWER})
_CAN_SEE_ALL_LABELS_NOT_BLIND = CAN_SEE_ALL_LABELS | {Role.ANNOTATOR}


def seeing_all_labels(project: Project) -> frozenset:
    """The roles that see every reviewer's label in `project`: annotators too unless it is blind."""
    return CAN_SEE_ALL_LABELS if project.blind else _CAN_SEE_ALL_LABELS_NOT_BLIND
