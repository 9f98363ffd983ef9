"""Answers to other apps' signals: a project's model is retrained after enough new decisions."""

from django.dispatch import receiver

from curation.signals import decisions_changed


@receiver(decisions_changed)
def retrain_after_decisions(sender, project_id: int, **kwargs) -> None:
    from machine.services import retrain_if_due

    retrain_if_due(project_id=project_id)
