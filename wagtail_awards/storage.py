"""Where uploaded application files live: a private directory, never under MEDIA_ROOT, served only by a view."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from .conf import awards_settings


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage without public URLs: files go out through a permission-checking view only."""

    def url(self, name):
        raise ValueError("Private files have no public URL; link to the view that serves them.")


@lru_cache(maxsize=4)
def _storage(location: str):
    return PrivateFileSystemStorage(location=location)


def private_storage():
    """The storage of application files and objection evidence.

    ``WAGTAIL_AWARDS_PRIVATE_STORAGE`` names an entry of ``STORAGES`` (e.g. a private S3 bucket through
    django-storages, for app servers on several machines); without it, the directory ``WAGTAIL_AWARDS_PRIVATE_ROOT``
    (shared by the app servers of one machine, or mounted on each). Files are always sent by the app's own views.
    """
    if awards_settings.PRIVATE_STORAGE:
        from django.core.files.storage import storages

        return storages[awards_settings.PRIVATE_STORAGE]
    root = awards_settings.PRIVATE_ROOT or Path(settings.MEDIA_ROOT).parent / "awards-private"
    return _storage(str(root))
