import pytest


@pytest.fixture
def site_root(db):
    """A call index page as the default site's root."""
    from tests.factories import make_site

    return make_site()


@pytest.fixture
def call_page(site_root):
    from tests.factories import make_call

    return make_call(site_root)
