"""Hardening: login throttling (django-axes), CSP, session cookie, login redirect, cross-site exports."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from exports.models import Export
from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "right-pass-word-123"


@pytest.fixture
def staff(db):
    return UserFactory(username="throttled", password=PASSWORD, is_superuser=True)


def attempt(username: str, password: str, *, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def test_a_user_is_locked_out_after_a_few_wrong_passwords_even_with_the_right_one(staff, settings):
    limit = django_settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        assert attempt("throttled", f"wrong-{n}").status_code == 200  # the form again, with its error
    locked = attempt("throttled", "wrong-last")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    right = attempt("throttled", PASSWORD)
    assert right.status_code == 429  # the right password does not get in while locked
    assert "_auth_user_id" not in right.client.session


def test_the_lockout_is_by_user_name_whatever_the_address(staff):
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        attempt("throttled", "wrong", address=f"10.0.1.{n}")
    assert attempt("throttled", PASSWORD, address="10.0.9.9").status_code == 429


def test_the_lockout_is_by_address_whatever_the_user_name(staff):
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(f"guess-{n}", "wrong", address="10.0.2.1")
    assert attempt("throttled", PASSWORD, address="10.0.2.1").status_code == 429
    ok = attempt("throttled", PASSWORD, address="10.0.2.2")  # another address is not locked
    assert ok.status_code == 302


def test_forty_wrong_passwords_are_not_forty_tries(staff):
    statuses = [attempt("throttled", f"wrong-{n}").status_code for n in range(40)]
    assert statuses.count(200) == django_settings.AXES_FAILURE_LIMIT - 1
    assert AccessAttempt.objects.filter(username="throttled").exists()


def test_a_success_resets_the_count(staff):
    for n in range(django_settings.AXES_FAILURE_LIMIT - 1):
        attempt("throttled", f"wrong-{n}")
    assert attempt("throttled", PASSWORD).status_code == 302
    assert attempt("throttled", "wrong-again").status_code == 200


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_an_off_site_next_after_login_lands_on_the_admin_index(staff, next_url):
    response = Client().post(LOGIN, {"username": "throttled", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_the_session_cookie_is_strict_same_site(staff):
    client = Client()
    response = client.post(LOGIN, {"username": "throttled", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["samesite"] == "Strict" and cookie["httponly"]


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/leads/lead/", "/admin/dashboard/", "/api/docs/", "/admin/api-token/"]
)
def test_every_page_has_a_content_security_policy_without_unsafe_inline(admin_client, path):
    LeadFactory()
    response = admin_client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    content = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    # Every inline <script> or <style> block carries this response's nonce.
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", content):
        if "src=" in tag or 'type="application/json"' in tag:
            continue
        assert f'nonce="{nonce}"' in tag, tag


def test_the_api_docs_inline_script_has_the_nonce(admin_client):
    response = admin_client.get("/api/docs/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in response.content.decode()


# A top-level GET started by another site must not create an export (the review's CSRF-by-GET case).


def test_a_cross_site_get_cannot_create_an_export_with_the_session(db):
    LeadFactory()
    manager = UserFactory(
        username="cross-site-manager",
        permissions=["leads.view_lead", "exports.export_leads", "exports.view_contact_info"],
    )
    client = APIClient()
    client.force_login(manager)
    url = "/api/v1/export/leads/csv?include_contact_info=true"
    refused = client.get(url, HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status_code == 403
    assert "another site" in refused.json()["detail"]
    assert client.get(url, HTTP_SEC_FETCH_SITE="same-site").status_code == 403
    assert Export.objects.count() == 0
    assert client.get(url, HTTP_SEC_FETCH_SITE="same-origin").status_code == 200  # from Leadsite itself
    assert Export.objects.count() == 1


def test_a_token_is_not_subject_to_the_browser_check(db):
    LeadFactory()
    user = UserFactory(username="script", permissions=["leads.view_lead", "exports.export_leads"])
    client = APIClient()
    from rest_framework.authtoken.models import Token

    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert client.get("/api/v1/export/leads/csv", HTTP_SEC_FETCH_SITE="cross-site").status_code == 200


def test_exporting_needs_permission_to_view_leads(db):
    LeadFactory()
    only_export = UserFactory(username="only-export", permissions=["exports.export_leads"])
    client = APIClient()
    client.force_authenticate(only_export)
    response = client.get("/api/v1/export/leads/csv")
    assert response.status_code == 403 and "view leads" in response.json()["detail"]
    admin = Client()
    admin.force_login(only_export)
    assert admin.get(reverse("admin:leads_lead_changelist")).status_code == 403
    assert admin.get(reverse("admin:leads_lead_export")).status_code == 403
    assert Export.objects.count() == 0
