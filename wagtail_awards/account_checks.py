"""Verified voters' account checks kept in the shared cache: what a vote would otherwise ask the database each time
(Django's check that the session's account is active and its password unchanged, and the account's verified
address, on the roll where the roll is on), kept per account and dropped as soon as any of it changes.

Kept only where the shared cache is Redis: the vote reads the check in the round trip that counts its attempt, and a
cache of one process would not see another's changes. :mod:`wagtail_awards.services.voters` keeps and uses them.
"""

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save

from . import throttle
from .conf import awards_settings

#: How long a verified voter's account check is kept in the shared cache, in seconds. It is dropped at once when the
#: account, its verified address or the roll entry of its address is saved or deleted; the vote's statement checks
#: again that the account is active (Wagtail's bulk deactivation saves no user).
ACCOUNT_CHECK_SECONDS = 300


def account_checks_in_shared_cache() -> bool:
    """Whether verified voters' account checks are kept: only in a shared cache on Redis."""
    return throttle.shared_redis() is not None


def account_check_key(user_id, *, roll=None) -> str:
    """The shared cache's key of the account check of the user ``user_id`` (per voter roll setting: ``roll``, by
    default the site's)."""
    roll = awards_settings.VOTER_ROLL if roll is None else roll
    return f"wagtail_awards:voter-account:{int(bool(roll))}:{user_id}"


def forget_account_checks(user_ids) -> None:
    """Drop the kept account checks of ``user_ids`` (their account, address or roll entry changed)."""
    keys = [account_check_key(pk, roll=roll) for pk in user_ids if pk is not None for roll in (False, True)]
    if keys and account_checks_in_shared_cache():
        cache.delete_many(keys)


def _forget_user(sender, instance, **kwargs):
    forget_account_checks([instance.pk])


def _forget_address(sender, instance, **kwargs):
    forget_account_checks([instance.user_id])


def _note_old_roll_email(sender, instance, **kwargs):
    if instance.pk is not None:
        old = sender._default_manager.filter(pk=instance.pk).values_list("email", flat=True)
        instance._awards_old_emails = list(old)


def _forget_roll_entry(sender, instance, created=False, **kwargs):
    """A roll entry changed or went: forget the checks of the accounts of its address (and of its old address)."""
    if created:
        return  # an address added to the roll lets more vote: no kept check is wrong
    addresses = apps.get_model("wagtail_awards", "VerifiedEmail")._default_manager
    for email in {instance.email, *getattr(instance, "_awards_old_emails", ())}:
        forget_account_checks(addresses.filter(email__iexact=email).values_list("user_id", flat=True))


def connect(*, user, verified_email, roll) -> None:
    """Drop a kept account check when its account (model ``user``), verified address or roll entry is saved or
    deleted (``AppConfig.ready``)."""
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(_forget_user, sender=user, dispatch_uid=f"wagtail_awards_voter_user_{name}")
        signal.connect(_forget_address, sender=verified_email, dispatch_uid=f"wagtail_awards_voter_address_{name}")
        signal.connect(_forget_roll_entry, sender=roll, dispatch_uid=f"wagtail_awards_voter_roll_{name}")
    pre_save.connect(_note_old_roll_email, sender=roll, dispatch_uid="wagtail_awards_voter_roll_old")
