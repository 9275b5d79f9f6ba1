"""Where uploaded application files live: a private directory, never under MEDIA_ROOT, served only by a view."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from .conf import awards_settings


@lru_cache(maxsize=4)
def _storage(location: str):
    # base_url=None: the storage has no public URL; files go out through the permission-checking view only.
    return FileSystemStorage(location=location, base_url=None)


def private_storage():
    """The storage of application files (``WAGTAIL_AWARDS_PRIVATE_ROOT``)."""
    root = awards_settings.PRIVATE_ROOT or Path(settings.MEDIA_ROOT).parent / "awards-private"
    return _storage(str(root))
