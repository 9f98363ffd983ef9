"""Bookkeeping on accounts: a password change revokes the account's API tokens."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .services import revoke_tokens


@receiver(pre_save, sender=get_user_model(), dispatch_uid="annotator.revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(sender, instance, update_fields=None, **kwargs):
    """Whatever changes the password (the password-change page, the admin, `changepassword`) revokes tokens.

    Django already ends the account's other sessions then (the session hash includes the password);
    tokens would otherwise outlive it.
    """
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        revoke_tokens(user=instance)
