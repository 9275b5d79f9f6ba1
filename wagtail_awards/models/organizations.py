from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import RECOMMENDING_KINDS, OrganizationKind, Role

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

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

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
    """A user's role in an organisation. A user may hold several."""

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

    class Meta:
        ordering = ["organization__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="awards_unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} · {self.get_role_display()}"
