"""Send the application receipts that could not be sent when the applications were submitted (run it from cron).

A submission sends its receipt once it is committed; when the mail server fails, the receipt stays due and the
failure is logged. This command tries each due receipt once more; a receipt is never sent twice, so running it
again, or while a submission is sending its own, changes nothing for receipts already sent.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from wagtail_awards.services.applications import send_due_receipts


class Command(BaseCommand):
    help = "Send application receipts that are still due (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=None,
            help="Leave out receipts already tried this many times (default: try them all).",
        )

    def handle(self, *args, max_attempts=None, **options):
        base_url = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
        done, failed = send_due_receipts(base_url=base_url, max_attempts=max_attempts)
        self.stdout.write(self.style.SUCCESS(f"{done} receipt(s) sent, {failed} still due."))
