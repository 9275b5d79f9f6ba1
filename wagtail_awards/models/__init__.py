from .calendar import CalendarException
from .organizations import Membership, Organization
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

__all__ = [
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
]
