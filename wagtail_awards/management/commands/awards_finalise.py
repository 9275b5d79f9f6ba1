"""Make the proposed awards of every call whose publicity period has ended final (run it from cron).

This is the only way awards become final: the publicity page and the admin only read them (after the period they
show the list as waiting to be confirmed). Run it every few minutes; running it again changes nothing.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from wagtail_awards.enums import AwardStatus
from wagtail_awards.models import CallPage
from wagtail_awards.services.publicity import finalise_awards


class Command(BaseCommand):
    help = "Make the proposed awards of calls whose publicity period has ended final (idempotent)."

    def handle(self, *args, **options):
        now = timezone.now()
        calls = CallPage.objects.filter(
            publicity_starts__lte=now, applications__award__status=AwardStatus.PROPOSED
        ).distinct()
        total = 0
        for call in calls:
            changed = finalise_awards(call=call, now=now)
            if changed:
                self.stdout.write(f"{call.title}: {changed}")
            total += changed
        self.stdout.write(self.style.SUCCESS(f"{total} award(s) made final."))
