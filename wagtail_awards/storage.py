"""Where uploaded application files live: a private directory, never under MEDIA_ROOT, served only by a view."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages

from .conf import awards_settings


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage without public URLs: files go out through a permission-checking view only.

    Its directory is ``WAGTAIL_AWARDS_PRIVATE_ROOT``, read when a file is stored or opened (so the app can be
    imported, migrated and checked before it is set; the system check ``wagtail_awards.E004`` says it is missing).
    """

    @property
    def base_location(self):
        root = awards_settings.PRIVATE_ROOT
        if not root:
            raise ImproperlyConfigured(
                "WAGTAIL_AWARDS_PRIVATE_ROOT is not set: name a directory outside the project's code and outside "
                "MEDIA_ROOT and STATIC_ROOT for applicants' files."
            )
        return os.fspath(root)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; link to the view that serves them.")


_PRIVATE_STORAGE = PrivateFileSystemStorage()


def private_storage():
    """The storage of application files and objection evidence.

    ``WAGTAIL_AWARDS_PRIVATE_STORAGE`` names an entry of ``STORAGES`` (e.g. a private S3 bucket through
    django-storages, for app servers on several machines); without it, the directory ``WAGTAIL_AWARDS_PRIVATE_ROOT``
    (shared by the app servers of one machine, or mounted on each). Files are always sent by the app's own views.
    """
    if awards_settings.PRIVATE_STORAGE:
        return storages[awards_settings.PRIVATE_STORAGE]
    return _PRIVATE_STORAGE
