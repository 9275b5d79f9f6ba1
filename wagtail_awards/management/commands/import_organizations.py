import csv

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wagtail_awards.services.organizations import import_organizations


class Command(BaseCommand):
    help = "Import organisations from a UTF-8 CSV file with the columns name, kind, parent, city."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                result = import_organizations(rows=list(csv.DictReader(handle)))
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        if result.errors:
            raise CommandError("\n".join(result.errors))
        self.stdout.write(
            _("%(created)d created, %(updated)d updated.") % {"created": result.created, "updated": result.updated}
        )
