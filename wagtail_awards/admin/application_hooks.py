"""Wagtail hooks of the application stage: log actions, and keeping application pages out of Wagtail's generic
form submissions screen (their submissions are applications, listed under 评优 → 申报)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter


@hooks.register("register_log_actions")
def register_application_log_actions(actions):
    actions.register_action("wagtail_awards.save_draft", _("Save application draft"), _("Application draft saved"))
    actions.register_action("wagtail_awards.submit", _("Submit application"), _("Application submitted"))
    actions.register_action("wagtail_awards.withdraw", _("Withdraw application"), _("Application withdrawn"))
    actions.register_action("wagtail_awards.reopen", _("Reopen application"), _("Application reopened as a draft"))

    @actions.register_action("wagtail_awards.status")
    class StatusChange(LogFormatter):
        label = _("Change application status")

        def format_message(self, log_entry):
            from ..enums import ApplicationStatus

            def label(value):
                try:
                    return ApplicationStatus(value).label
                except ValueError:
                    return value

            data = log_entry.data or {}
            return _("Status changed from %(old)s to %(new)s") % {
                "old": label(data.get("from")),
                "new": label(data.get("to")),
            }

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("reason", "")


@hooks.register("filter_form_submissions_for_user")
def hide_application_pages_from_form_submissions(user, editable_forms):
    from ..models import ApplicationFormPage

    return editable_forms.not_type(ApplicationFormPage)
