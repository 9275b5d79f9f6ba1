"""Moving an application along its status flow: the check of :mod:`wagtail_awards.rules.transitions`, the save and
the log entry in one place."""

from wagtail.log_actions import log

from ..rules.transitions import check_move


def move(*, application, target: str, user=None, reason: str = "", action: str | None = None) -> None:
    """Move a saved ``application`` to ``target`` after :func:`check_move`, and log it.

    Side effects: saves ``status`` (and ``status_reason`` when ``reason`` is given) and writes a Wagtail log entry
    ``action`` (default ``wagtail_awards.status``) with ``{"from": …, "to": …}`` in its data.
    """
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
