import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def library(db):
    from vitaal.indicators.library import load_library

    load_library()


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages are requested in English, like the messages the tests look for."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
