"""Roll up the votes of every call whose vote has opened: into its tallies (the votes up to a minute ago) and, per
whole hour, for the vote audit. Run it from cron every minute while a vote is open.

Tallies count the votes since the last roll-up live, and the audit rolls up what is pending when it is opened:
running this often keeps that work small.
Running it again changes nothing. ``--recount`` also rebuilds each call's tallies from its votes, and ``--rebuild``
rolls every hour up again (both read all the votes: for repairs after votes were changed outside the app).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from wagtail_awards.conf import awards_settings
from wagtail_awards.models import CallPage, VoteRollup
from wagtail_awards.services.voting import recount_tallies, roll_up_tallies, roll_up_votes


class Command(BaseCommand):
    help = "Roll up the votes of calls whose vote has opened into their tallies and, per hour, for the audit."

    def add_arguments(self, parser):
        parser.add_argument("--recount", action="store_true", help="Rebuild the tallies from the votes as well.")
        parser.add_argument("--rebuild", action="store_true", help="Roll every hour up again.")

    def handle(self, *args, recount=False, rebuild=False, **options):
        now = timezone.now()
        for call in CallPage.objects.filter(voting_opens__lte=now).order_by("pk"):
            if recount:
                recount_tallies(call=call, now=now)
            else:
                roll_up_tallies(call_id=call.pk, now=now)
            if rebuild:
                VoteRollup.objects.filter(call=call).update(rolled_until=None)
            until = roll_up_votes(call_id=call.pk, now=now, threshold=awards_settings.VOTE_BURST)
            self.stdout.write(f"{call.title}: {timezone.localtime(until):%Y-%m-%d %H:%M}")
        self.stdout.write(self.style.SUCCESS("Votes rolled up."))
