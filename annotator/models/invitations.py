"""Invitation links that let people join a project."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .projects import Project, Role


class Invitation(models.Model):
    """A link that lets whoever opens it join `project` with `role`, without an admin making their account.

    `token` is the link's only secret, kept readable so that owners can copy the link again. A link
    stops working once revoked, past `expires`, or after `max_uses` people have joined with it.
    """

    class Status(models.TextChoices):
        ACTIVE = "active"
        EXPIRED = "expired"
        USED_UP = "used_up"
        REVOKED = "revoked"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True, help_text="After this the link no longer works.")
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="How many people may join with it.")
    uses = models.PositiveIntegerField(default=0)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(max_uses__gte=1), name="invitation_max_uses_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=models.F("max_uses")),
                name="invitation_uses_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.project_id} as {self.role}"

    @property
    def closed_reason(self) -> str:
        """Why the link no longer works, in words for the person who opened it; empty while it works."""
        return {
            self.Status.ACTIVE: "",
            self.Status.EXPIRED: "This invitation link has expired.",
            self.Status.USED_UP: "This invitation link has been used as many times as it allows.",
            self.Status.REVOKED: "This invitation link was revoked by the project's owner.",
        }[self.status]

    @property
    def status(self) -> str:
        if self.revoked:
            return self.Status.REVOKED
        if self.expires is not None and self.expires <= timezone.now():
            return self.Status.EXPIRED
        if self.max_uses is not None and self.uses >= self.max_uses:
            return self.Status.USED_UP
        return self.Status.ACTIVE
