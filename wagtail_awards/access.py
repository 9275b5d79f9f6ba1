"""The one access policy of wagtail-awards: who may see and do what.

Every site view, admin screen, export, file download and Wagtail report of the app asks this module, and only
this module. It answers three kinds of question:

- **roles** — :func:`roles` reads a user's *approved* memberships once per request (the answer is kept on the
  request's user object) and returns a :class:`Roles`;
- **rows** — :func:`visible_applications` narrows a queryset of applications to what a user may see, for a
  :class:`Purpose` (their unit's own, the round's screens, or anything they may open); a few more ``*_for``
  functions scope other rows the same way;
- **actions** — :func:`can` answers "may ``user`` do ``action`` to ``obj``" from the rule table :data:`policy`
  (django-rules predicates, one line per action; the permission matrix test walks the same names).

The rules in words:

- a unit's approved members see all of its applications, its working copies (draft, withdrawn) included; its
  approved *applicants* edit a working copy and withdraw a submitted one. A pending, rejected or removed
  membership counts for nothing, nor does a unit requested on the site before it is approved;
- province administrators (and superusers) see every application from *submitted* on, never a unit's working
  copy, and do every action of the round;
- a recommending organisation's approved recommenders (city union, university, institute) see its applicants'
  applications from *submitted* on and decide on them; they approve their own units' members;
- a reviewer sees and scores the applications assigned to them while those are in the expert review;
- a voter is nobody here: voting gives no access to any application, file or admin screen;
- the round's log entries (Wagtail's site history and its exports) are for province administrators only.

The module sits under the models (it imports none; it looks them up with ``apps.get_model`` when it queries),
so models and everything above may use it.
"""

from dataclasses import dataclass

import rules
from django.apps import apps
from django.db.models import Q

from .enums import (
    RECOMMENDING_KINDS,
    REVIEW_STATUSES,
    ROUND_STATUSES,
    WORKING_COPY_STATUSES,
    ApplicationStatus,
    MembershipStatus,
    OrganizationKind,
    Role,
)

#: How many levels of units may sit under a recommending organisation (grassroots units under grassroots units).
UNIT_DEPTH = 4

#: Statuses in which the recommending organisation decides on an application.
DECIDABLE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED)


def _model(name):
    return apps.get_model("wagtail_awards", name)


# Roles


@dataclass(frozen=True)
class Roles:
    """What one user is in the app, from their approved memberships."""

    authenticated: bool = False
    province_admin: bool = False
    #: Units (any kind) the user is an approved member of, in any role.
    member_units: frozenset = frozenset()
    #: Approved grassroots units the user applies for.
    applicant_units: frozenset = frozenset()
    #: City unions, universities and institutes the user recommends for.
    recommender_orgs: frozenset = frozenset()
    reviewer: bool = False
    reviewer_orgs: frozenset = frozenset()

    @property
    def recommender(self) -> bool:
        return bool(self.recommender_orgs)

    @property
    def applicant(self) -> bool:
        return bool(self.applicant_units)

    @property
    def works_in_round(self) -> bool:
        """Province administrator, recommender or reviewer: someone with a screen in the admin's round."""
        return self.province_admin or self.recommender or self.reviewer


NOBODY = Roles()


def roles(user) -> Roles:
    """The user's roles (one query, then kept on ``user`` for the rest of the request).

    A request's user object is loaded afresh for every request, so a membership approved now counts from the
    next request on; code that changes memberships and asks again in the same request calls :func:`forget`.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, "_awards_roles", None)
    if cached is not None:
        return cached
    member, applicant, recommender, reviewer = set(), set(), set(), set()
    province_admin = bool(user.is_superuser)
    rows = (
        _model("Membership")
        .objects.filter(user=user, status=MembershipStatus.APPROVED, organization__approved=True)
        .values_list("role", "organization_id", "organization__kind")
    )
    for role, org_id, kind in rows:
        member.add(org_id)
        if role == Role.PROVINCE_ADMIN:
            province_admin = True
        elif role == Role.APPLICANT and kind == OrganizationKind.GRASSROOTS:
            applicant.add(org_id)
        elif role == Role.RECOMMENDER and kind in RECOMMENDING_KINDS:
            recommender.add(org_id)
        elif role == Role.REVIEWER:
            reviewer.add(org_id)
    result = Roles(
        authenticated=True,
        province_admin=province_admin,
        member_units=frozenset(member),
        applicant_units=frozenset(applicant),
        recommender_orgs=frozenset(recommender),
        reviewer=bool(reviewer),
        reviewer_orgs=frozenset(reviewer),
    )
    user._awards_roles = result
    return result


def forget(user) -> None:
    """Drop the roles kept on ``user`` (after changing their memberships within one request)."""
    if user is not None and hasattr(user, "_awards_roles"):
        del user._awards_roles


# Rows


class Purpose:
    """Why applications are listed: it decides which rows :func:`visible_applications` keeps."""

    #: The user's own units' applications, working copies included (the site's "my applications").
    UNIT = "unit"
    #: The round's screens and exports: submitted or later, as the user's round role allows.
    ROUND = "round"
    #: Anything the user may open (a detail page, an inspect view, a file): ``UNIT`` and ``ROUND`` together.
    VIEW = "view"
    #: Counting a call's progress (the admin home's panel): ``ROUND``, but province administrators count working
    #: copies too. For counts only: never list rows with it.
    PROGRESS = "progress"


def _assigned_to(user):
    return _model("ReviewAssignment").objects.filter(reviewer=user).values("application_id")


def _round_condition(user, r: Roles) -> Q:
    if r.province_admin:
        return Q(status__in=ROUND_STATUSES)
    condition = Q(pk__in=[])
    if r.recommender:
        condition |= Q(recommending_organization_id__in=r.recommender_orgs, status__in=ROUND_STATUSES)
    if r.reviewer:
        condition |= Q(pk__in=_assigned_to(user), status__in=REVIEW_STATUSES)
    return condition


def visible_applications(user, purpose: str = Purpose.VIEW, queryset=None):
    """``queryset`` (default: every application) narrowed to the rows ``user`` may see for ``purpose``.

    No ``DISTINCT`` is added, so the result may be locked, counted, exported or narrowed further.
    """
    queryset = _model("Application").objects.all() if queryset is None else queryset
    r = roles(user)
    if not r.authenticated:
        return queryset.none()
    unit = Q(organization_id__in=r.member_units)
    if purpose == Purpose.UNIT:
        return queryset.filter(unit)
    if purpose == Purpose.ROUND:
        return queryset.filter(_round_condition(user, r))
    if purpose == Purpose.VIEW:
        return queryset.filter(unit | _round_condition(user, r))
    if purpose == Purpose.PROGRESS:
        return queryset if r.province_admin else queryset.filter(_round_condition(user, r))
    raise ValueError(f"Unknown purpose: {purpose!r}")


def applicant_units(user):
    """The approved grassroots units ``user`` may apply for, by name."""
    return _model("Organization").objects.filter(pk__in=roles(user).applicant_units, approved=True).order_by("name")


def _under(org_ids, prefix="") -> Q:
    """Organisations below any of ``org_ids`` (down to :data:`UNIT_DEPTH` levels)."""
    condition = Q(pk__in=[])
    path = prefix + "parent"
    for _level in range(UNIT_DEPTH):
        condition |= Q(**{f"{path}_id__in": org_ids})
        path += "__parent"
    return condition


def recommending_organizations_for(user):
    """The recommending organisations whose lists ``user`` may open: all for a province administrator."""
    queryset = _model("Organization").objects.filter(kind__in=RECOMMENDING_KINDS)
    r = roles(user)
    if r.province_admin:
        return queryset
    return queryset.filter(pk__in=r.recommender_orgs)


def units_approved_by(user):
    """The grassroots units whose members ``user`` approves (and for which they issue invitations)."""
    queryset = _model("Organization").objects.filter(kind=OrganizationKind.GRASSROOTS)
    r = roles(user)
    if r.province_admin:
        return queryset
    if not r.recommender:
        return queryset.none()
    return queryset.filter(_under(r.recommender_orgs))


def memberships_for(user):
    """Memberships ``user`` may list and decide on: every one for a province administrator; for a recommender
    the applicant memberships of the units under their organisations."""
    queryset = _model("Membership").objects.all()
    r = roles(user)
    if r.province_admin:
        return queryset
    if not r.recommender:
        return queryset.none()
    return queryset.filter(role=Role.APPLICANT).filter(_under(r.recommender_orgs, prefix="organization__"))


def assignments_for(user, queryset=None):
    """Review assignments ``user`` may see: all for a province administrator, their own (in review) otherwise."""
    queryset = _model("ReviewAssignment").objects.all() if queryset is None else queryset
    r = roles(user)
    if r.province_admin:
        return queryset
    if not r.reviewer:
        return queryset.none()
    return queryset.filter(reviewer=user, application__status__in=REVIEW_STATUSES)


def verified_email(user) -> str | None:
    """The user's verified e-mail address, lower case, or ``None``: the identity of a voter with an account.

    An address counts once a link sent to it was opened, or when an identity provider vouched for it
    (``services``/backends record that as a ``VerifiedEmail``); changing the account's address unverifies it.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_awards_verified_email", False)
    if cached is not False:
        return cached
    email = (getattr(user, user.get_email_field_name(), "") or "").strip().lower()
    related = user._meta.model.awards_verified_email
    if related.related.is_cached(user):  # loaded with the user (``select_related("awards_verified_email")``)
        loaded = related.related.get_cached_value(user)
        record = loaded.email if loaded is not None else None
    else:
        record = _model("VerifiedEmail").objects.filter(user=user).values_list("email", flat=True).first()
    result = email if email and record and record.strip().lower() == email else None
    user._awards_verified_email = result
    return result


# Predicates (django-rules): each answers one fact about a user, or a user and an object.


@rules.predicate
def is_province_admin(user):
    return roles(user).province_admin


@rules.predicate
def is_recommender(user):
    return roles(user).recommender


@rules.predicate
def is_reviewer(user):
    return roles(user).reviewer


@rules.predicate
def is_unit_member(user, application):
    return application.organization_id in roles(user).member_units


@rules.predicate
def is_unit_applicant(user, application):
    return application.organization_id in roles(user).applicant_units


@rules.predicate
def recommends_it(user, application):
    return application.recommending_organization_id in roles(user).recommender_orgs


@rules.predicate
def is_in_round(user, application):
    return application.status in ROUND_STATUSES


@rules.predicate
def is_in_review(user, application):
    return application.status in REVIEW_STATUSES


@rules.predicate
def is_working_copy(user, application):
    return application.status in WORKING_COPY_STATUSES


@rules.predicate
def is_submitted(user, application):
    return application.status == ApplicationStatus.SUBMITTED


@rules.predicate
def is_decidable(user, application):
    return application.status in DECIDABLE_STATUSES


@rules.predicate
def is_assigned(user, application):
    return (
        roles(user).reviewer
        and _model("ReviewAssignment").objects.filter(reviewer=user, application_id=application.pk).exists()
    )


@rules.predicate
def is_own_assignment(user, assignment):
    return roles(user).reviewer and assignment.reviewer_id == user.pk


@rules.predicate
def assignment_in_review(user, assignment):
    return assignment.application.status in REVIEW_STATUSES


@rules.predicate
def recommends_for_org(user, organization):
    return organization is not None and organization.pk in roles(user).recommender_orgs


@rules.predicate
def approves_unit(user, organization):
    return organization is not None and units_approved_by(user).filter(pk=organization.pk).exists()


@rules.predicate
def approves_membership(user, membership):
    return memberships_for(user).filter(pk=membership.pk).exists()


may_view_application = (
    is_unit_member | (is_in_round & (is_province_admin | recommends_it)) | (is_in_review & is_assigned)
)

#: Every action of the app, by name. A screen's action takes no object; an object's action takes it.
policy = rules.RuleSet()
# Applications and their files (site and admin).
policy.add_rule("application.view", may_view_application)
policy.add_rule("application.edit", is_unit_applicant & is_working_copy)
policy.add_rule("application.withdraw", is_unit_applicant & is_submitted)
policy.add_rule("application.history", is_province_admin)
policy.add_rule("application.view_recommendation", is_province_admin | recommends_it)
policy.add_rule("application.view_all_reviews", is_province_admin)
policy.add_rule("application.recommend", recommends_it & is_decidable)
policy.add_rule("application.assign_reviewer", is_province_admin & is_in_review)
policy.add_rule("application.decide_past_award", is_province_admin & is_in_round)
policy.add_rule("file.download", rules.always_allow)  # decided by the file's application (see can())
# The round's screens.
policy.add_rule("round.projects", is_province_admin | is_recommender | is_reviewer)
policy.add_rule("round.recommend", is_province_admin | is_recommender)
policy.add_rule("round.decide", is_recommender)
policy.add_rule("round.submit_list", is_recommender)
policy.add_rule("round.unlock_list", is_province_admin)
policy.add_rule("round.assign", is_province_admin)
policy.add_rule("round.scores", is_province_admin | is_reviewer)
policy.add_rule("round.score", is_reviewer)
policy.add_rule("round.rank", is_province_admin)
policy.add_rule("round.dashboard", is_province_admin | is_recommender | is_reviewer)
policy.add_rule("organization.edit_list", recommends_for_org)
policy.add_rule("assignment.score", is_own_assignment & assignment_in_review)
# Publicity, results, the vote.
policy.add_rule("awards.view", is_province_admin)
policy.add_rule("awards.edit", is_province_admin)
policy.add_rule("awards.cancel", is_province_admin)
policy.add_rule("objections.handle", is_province_admin)
policy.add_rule("subsidies.view", is_province_admin)
policy.add_rule("votes.audit", is_province_admin)
policy.add_rule("votes.invalidate", is_province_admin)
policy.add_rule("votes.record", is_province_admin)
policy.add_rule("voters.codes", is_province_admin)
policy.add_rule("voters.roll", is_province_admin)
# People and records of the programme.
policy.add_rule("organizations.manage", is_province_admin)
policy.add_rule("calendar.manage", is_province_admin)
policy.add_rule("past_awards.manage", is_province_admin)
policy.add_rule("memberships.review", is_province_admin | is_recommender)
policy.add_rule("membership.decide", approves_membership)
policy.add_rule("unit.invite", approves_unit)
policy.add_rule("logs.view_all", is_province_admin)


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action`` (a name in :data:`policy`) to ``obj`` (or on the screen, without one).

    An unknown action is a programming error and raises ``KeyError``, so a typo never reads as "denied".
    """
    if not policy.rule_exists(action):
        raise KeyError(f"Unknown action: {action!r}")
    if action == "file.download":
        action, obj = "application.view", obj.application
    return policy.test_rule(action, user, obj)
