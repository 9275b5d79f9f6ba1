from django.core.management.base import BaseCommand

from ...services.setup import ensure_role_groups


class Command(BaseCommand):
    help = "Create or complete the admin groups of recommenders, reviewers and province administrators."

    def handle(self, *args, **options):
        groups = ensure_role_groups()
        for role, group in groups.items():
            self.stdout.write(f"{role}: {group.name} ({group.permissions.count()} permissions)")
