"""Staff create, replace and revoke their own API token in the admin."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.exports.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("api-token")


@pytest.fixture
def staff(client):
    user = UserFactory(username="scripter")
    client.force_login(user)
    return user


def test_create_use_replace_and_revoke_a_token(client, staff):
    assert "You have no API token" in client.get(URL).content.decode()
    client.post(URL, {"action": "create"})
    first = Token.objects.get(user=staff).key
    assert first in client.get(URL).content.decode()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get("/api/v1/export/config/data-types").status_code == 200

    client.post(URL, {"action": "create"})
    second = Token.objects.get(user=staff).key
    assert second != first
    assert api.get("/api/v1/export/config/data-types").status_code == 401

    client.post(URL, {"action": "revoke"})
    assert not Token.objects.filter(user=staff).exists()


def test_the_page_is_linked_from_the_header(client, staff):
    assert f'href="{URL}"' in client.get(reverse("admin:index")).content.decode()


def test_only_staff_reach_the_page_and_posts_need_csrf(client, db):
    assert client.get(URL).status_code == 302  # to the login page
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory(username="other"))
    assert csrf_client.post(URL, {"action": "create"}).status_code == 403
    assert not Token.objects.exists()


def test_the_page_is_a_native_admin_page_with_the_token_in_a_copyable_box(client, staff):
    client.post(URL, {"action": "create"})
    key = Token.objects.get(user=staff).key

    html = client.get(URL).content.decode()

    assert '<ol class="breadcrumbs">' in html
    assert f'id="api-token" class="vTextField" value="{key}" readonly' in html
    assert 'id="api-token-copy"' in html
    # How to use it: a complete example with this server's address and the user's own token.
    assert f'curl -H "Authorization: Token {key}"' in html
    assert "http://testserver/api/v1/export/leads/csv?status=new&amp;limit=10" in html
