import pytest
from django.urls import NoReverseMatch, reverse

from . import scene


@pytest.fixture(autouse=True)
def login_urls(settings):
    """core/urls.py is to include core.ui.auth_urls; until it does, add it for the test."""
    try:
        reverse("login")
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.ui.urls"


@pytest.fixture
def world(db):
    return scene.build()


@pytest.fixture
def client_for(client):
    """client_for(user) -> the test client logged in as user."""

    def login(user):
        client.force_login(user)
        return client

    return login
