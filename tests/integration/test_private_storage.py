"""Where application files live when the app servers run on several machines."""

from django.core.files.storage import InMemoryStorage

from wagtail_awards.storage import PrivateFileSystemStorage, private_storage


def test_private_files_can_live_in_a_storage_of_the_site(settings):
    """A ``STORAGES`` entry (e.g. a private S3 bucket through django-storages) instead of the private directory."""
    assert isinstance(private_storage(), PrivateFileSystemStorage)
    private = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    settings.STORAGES = {**settings.STORAGES, "awards_private": private}
    settings.WAGTAIL_AWARDS_PRIVATE_STORAGE = "awards_private"
    assert isinstance(private_storage(), InMemoryStorage)
