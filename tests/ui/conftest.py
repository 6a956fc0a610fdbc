import pytest

from . import scene


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
