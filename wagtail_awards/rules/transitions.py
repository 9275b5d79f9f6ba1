"""The status flow of an application (pure)."""

from ..enums import ApplicationStatus as S

#: Which statuses each status may move to.
ALLOWED = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.WITHDRAWN, S.INELIGIBLE, S.RECOMMENDED, S.NOT_RECOMMENDED},
    S.RECOMMENDED: {S.SCORED, S.NOT_RECOMMENDED, S.INELIGIBLE},
    S.NOT_RECOMMENDED: {S.RECOMMENDED},
    S.SCORED: {S.PROPOSED, S.RECOMMENDED},
    S.PROPOSED: {S.AWARDED, S.CANCELLED, S.SCORED},
    S.AWARDED: {S.CANCELLED},
    S.WITHDRAWN: {S.DRAFT},
    S.INELIGIBLE: set(),
    S.CANCELLED: set(),
}


class TransitionError(ValueError):
    pass


def can_move(*, current: str, target: str) -> bool:
    return S(target) in ALLOWED.get(S(current), set())


def check_move(*, current: str, target: str) -> None:
    """Raise :class:`TransitionError` unless ``current → target`` is allowed."""
    if not can_move(current=current, target=target):
        raise TransitionError(f"{current} → {target}")
