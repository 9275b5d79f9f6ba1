from django.core.management.base import BaseCommand, CommandError

from wagtail_awards.services.past_awards import import_past_awards, read_rows


class Command(BaseCommand):
    help = (
        "Import earlier years' awarded projects from a CSV or XLSX file with the columns year, project_name, "
        "unit_name and optionally prize (or 年度, 项目名称, 申报单位, 奖项). Nothing is written if any line is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            rows = read_rows(path)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        result = import_past_awards(rows=rows)
        if result.errors:
            raise CommandError("\n".join(result.errors))
        self.stdout.write(self.style.SUCCESS(f"{result.created} created, {result.unchanged} already present."))
