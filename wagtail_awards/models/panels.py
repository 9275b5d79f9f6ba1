"""Editor panels of the app's pages."""

from wagtail.admin.panels import Panel


class CalendarNoticePanel(Panel):
    """The call's publicity period as the working-day calendar computes it, with a notice when the calendar only
    estimates a year of it (the official holiday schedule is not published yet), pointing to 工作日调整."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_awards/admin/panels/calendar_notice.html"

        def is_shown(self):
            return bool(getattr(self.instance, "publicity_starts", None))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            call = self.instance
            context.update(call=call, estimated_years=call.calendar_estimated_years())
            return context
