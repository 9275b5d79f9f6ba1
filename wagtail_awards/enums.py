from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganizationKind(models.TextChoices):
    PROVINCE = "province", _("Province union")
    CITY = "city", _("City education union")
    UNIVERSITY = "university", _("University union")
    INSTITUTE = "institute", _("Research institute union")
    GRASSROOTS = "grassroots", _("Grassroots union")


#: Kinds that recommend their own applicants to the province (初审推荐).
RECOMMENDING_KINDS = (OrganizationKind.CITY, OrganizationKind.UNIVERSITY, OrganizationKind.INSTITUTE)


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RECOMMENDER = "recommender", _("Recommender")
    REVIEWER = "reviewer", _("Reviewer")
    PROVINCE_ADMIN = "province_admin", _("Province administrator")


class MembershipStatus(models.TextChoices):
    """A membership counts only once approved (by the unit's recommending organisation or a province admin)."""

    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REMOVED = "removed", _("Removed")


class Stage(models.TextChoices):
    """The stages of one call, in order."""

    NOTICE = "notice", _("Notice")
    APPLICATION = "application", _("Application")
    RECOMMENDATION = "recommendation", _("Preliminary review and recommendation")
    REVIEW = "review", _("Expert review")
    VOTE = "vote", _("Online vote")
    PUBLICITY = "publicity", _("Publicity")
    RESULTS = "results", _("Publication and subsidy")


class DeadlineState(models.TextChoices):
    NOT_OPEN = "not_open", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSING_SOON = "closing_soon", _("Closing soon")
    CLOSED = "closed", _("Closed")

    # For templates, which compare no literals: ``{% if state.accepts %}``.

    @property
    def accepts(self) -> bool:
        """Whether the window takes entries now: open, or open and closing soon."""
        return self in (DeadlineState.OPEN, DeadlineState.CLOSING_SOON)

    @property
    def is_not_open(self) -> bool:
        return self == DeadlineState.NOT_OPEN

    @property
    def is_closed(self) -> bool:
        return self == DeadlineState.CLOSED


class ApplicationStatus(models.TextChoices):
    """``draft → submitted → recommended | not_recommended → scored → proposed → awarded | cancelled``,
    plus ``withdrawn`` and ``ineligible``. Transitions live in ``rules.transitions``."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    INELIGIBLE = "ineligible", _("Ineligible")
    RECOMMENDED = "recommended", _("Recommended")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    SCORED = "scored", _("Scored")
    PROPOSED = "proposed", _("Proposed for an award")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


#: The unit's own working copy: only its members see an application in these statuses.
WORKING_COPY_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
#: Submitted or later: the round's screens (province administrators, the recommending organisation) see these.
ROUND_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.NOT_RECOMMENDED,
    ApplicationStatus.SCORED,
    ApplicationStatus.PROPOSED,
    ApplicationStatus.AWARDED,
    ApplicationStatus.CANCELLED,
)
#: In the expert review: assigned reviewers see and score these.
REVIEW_STATUSES = (ApplicationStatus.RECOMMENDED, ApplicationStatus.SCORED, ApplicationStatus.PROPOSED)


class RecommendationDecision(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend")
    NOT_RECOMMEND = "not_recommend", _("Do not recommend")


class ScoringMethod(models.TextChoices):
    """How a project's total is made from its reviewers' totals."""

    MEAN = "mean", _("Mean of all reviewers")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (drop the highest and lowest with 5 or more reviewers)")


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    FINAL = "final", _("Final")
    CANCELLED = "cancelled", _("Cancelled")


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    INVESTIGATING = "investigating", _("Under investigation")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class PublicityState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    OPEN = "open", _("In publicity")
    ENDED = "ended", _("Ended")


class CancelReason(models.TextChoices):
    """Why a proposed award is cancelled during publicity (虚假、错报、内容不实)."""

    FALSE = "false", _("False information")
    MISREPORTED = "misreported", _("Mis-reported")
    UNTRUE = "untrue", _("Content not true")


class SubsidyBasis(models.TextChoices):
    """Why a project gets the subsidy it gets (``rules.subsidy``)."""

    PRIZE = "prize", _("Prize level")
    MOST_POPULAR = "most_popular", _("Most popular")
    FEDERATION = "federation", _("Subsidised by the provincial federation")
    CANCELLED = "cancelled", _("Cancelled in publicity")
    NONE = "none", _("No subsidy")
