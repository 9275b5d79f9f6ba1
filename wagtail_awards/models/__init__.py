from .application_form import ApplicationFormField, ApplicationFormPage
from .applications import Application, ApplicationFile, PastAward, normalise_name
from .audit import AwardsLogEntry
from .calendar import CalendarException
from .organizations import Membership, Organization, UnitInvitation, VerifiedEmail, invitation_digest
from .pages import (
    CallAttachment,
    CallCondition,
    CallCriterion,
    CallIndexPage,
    CallPage,
    CallPrizeLevel,
    CallQuota,
    CallTheme,
)
from .publicity import Award, Objection, PublicityPage
from .review import Recommendation, RecommendationList, ReviewAssignment, Score
from .voting import (
    EligibleVoter,
    Vote,
    VoteBurst,
    VoteHour,
    VoterDay,
    VoteRollup,
    VoteTally,
    VotingCode,
    VotingPage,
)

__all__ = [
    "Application",
    "ApplicationFormField",
    "ApplicationFormPage",
    "ApplicationFile",
    "Award",
    "Objection",
    "PublicityPage",
    "PastAward",
    "Recommendation",
    "RecommendationList",
    "ReviewAssignment",
    "Score",
    "Vote",
    "VoteBurst",
    "VoteHour",
    "VoterDay",
    "VoteRollup",
    "VoteTally",
    "VotingCode",
    "VotingPage",
    "EligibleVoter",
    "normalise_name",
    "CalendarException",
    "CallAttachment",
    "CallCondition",
    "CallCriterion",
    "CallIndexPage",
    "CallPage",
    "CallPrizeLevel",
    "CallQuota",
    "CallTheme",
    "Membership",
    "Organization",
    "UnitInvitation",
    "VerifiedEmail",
    "invitation_digest",
    "AwardsLogEntry",
]
