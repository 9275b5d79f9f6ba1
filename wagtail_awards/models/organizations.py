import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import RECOMMENDING_KINDS, MembershipStatus, OrganizationKind, Role
from ..rules.names import clean_typed_name, normalise_name

#: Which kinds may sit directly under which; ``None`` stands for "no parent".
ALLOWED_PARENT_KINDS = {
    OrganizationKind.PROVINCE: {None},
    OrganizationKind.CITY: {None, OrganizationKind.PROVINCE},
    OrganizationKind.UNIVERSITY: {None, OrganizationKind.PROVINCE},
    OrganizationKind.INSTITUTE: {None, OrganizationKind.PROVINCE},
    OrganizationKind.GRASSROOTS: {
        OrganizationKind.CITY,
        OrganizationKind.UNIVERSITY,
        OrganizationKind.INSTITUTE,
        OrganizationKind.GRASSROOTS,
    },
}


class Organization(models.Model):
    """A union in the hierarchy: province, city union, university, research institute or grassroots unit."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    city = models.CharField(
        _("city"), max_length=50, blank=True, help_text=_("Prefecture-level city, used for filters and reports.")
    )
    # A unit named by an applicant stays unapproved (in no list, applying for nothing) until its first member is.
    approved = models.BooleanField(
        _("approved"), default=True, help_text=_("A unit requested on the site counts once it is approved.")
    )
    # The name reduced for matching (``rules.names.normalise_name``): duplicates and past awards meet on it.
    normalised_name = models.CharField(max_length=200, editable=False, db_index=True, default="")

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_typed_name(self.name)
        self.normalised_name = normalise_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalised_name"}
        super().save(*args, **kwargs)

    def clean(self):
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = ALLOWED_PARENT_KINDS.get(self.kind, set())
        if parent_kind not in allowed:
            raise ValidationError({"parent": _("This kind of organisation cannot sit under that parent.")})
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be its own ancestor.")})
            node = node.parent

    def nearest(self, kinds):
        """The nearest organisation of one of ``kinds`` at or above this one (``None`` if there is none)."""
        node = self
        seen = set()
        while node is not None and node.pk not in seen:
            if node.kind in kinds:
                return node
            seen.add(node.pk)
            node = node.parent
        return None

    @property
    def recommending_organization(self):
        """The nearest city union, university or institute at or above this one (``None`` if there is none)."""
        return self.nearest(RECOMMENDING_KINDS)

    @property
    def province(self):
        """The province union at or above this one (``None`` if there is none): the reviewing unit (审核单位)."""
        return self.nearest((OrganizationKind.PROVINCE,))


class Membership(models.Model):
    """A user's role in an organisation. A user may hold several; only approved ones count (``access``).

    Memberships created in code or by a province administrator in the admin are approved; a request made on the
    site is *pending* until the unit's recommending organisation or a province administrator approves it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="award_memberships",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.APPROVED, db_index=True
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True, null=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(
        _("note"), max_length=500, blank=True, help_text=_("What the applicant wrote, or why it was decided so.")
    )

    class Meta:
        ordering = ["organization__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="awards_unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == MembershipStatus.PENDING


def invitation_digest(code: str) -> str:
    """What is stored of an invitation code: its SHA-256 (the code itself is shown once, to whoever issued it)."""
    return hashlib.sha256((code or "").strip().encode()).hexdigest()


class UnitInvitation(models.Model):
    """A one-time code (or link) that makes whoever redeems it an approved applicant of one unit."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="invitations"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(_("for whom"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.organization} · {self.note or self.created_at.date().isoformat()}"


class VerifiedEmail(models.Model):
    """The e-mail address a user has proved they read (a link sent there was opened), or that an identity
    provider vouched for. One person's address, one vote identity (``access.verified_email``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="awards_verified_email"
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    verified_at = models.DateTimeField(_("verified"))
    source = models.CharField(_("verified by"), max_length=30, default="link")

    class Meta:
        verbose_name = _("verified e-mail address")
        verbose_name_plural = _("verified e-mail addresses")

    def __str__(self):
        return self.email
