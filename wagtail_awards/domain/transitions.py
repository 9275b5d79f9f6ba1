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


def move(*, application, target: str, user=None, reason: str = "", action: str | None = None) -> None:
    """Move a saved ``application`` to ``target`` after :func:`check_move`, and log it.

    Side effects: saves ``status`` (and ``status_reason`` when ``reason`` is given) and writes a Wagtail log entry
    ``action`` (default ``wagtail_awards.status``) with ``{"from": …, "to": …}`` in its data.
    """
    from wagtail.log_actions import log

    current = application.status
    check_move(current=current, target=target)
    application.status = target
    fields = ["status", "updated_at"]
    if reason:
        application.status_reason = reason
        fields.append("status_reason")
    application.save(update_fields=fields)
    data = {"from": str(current), "to": str(target)}
    if reason:
        data["reason"] = reason
    log(instance=application, action=action or "wagtail_awards.status", user=user, data=data)
