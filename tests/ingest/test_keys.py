"""Scraper keys: hashed, shown once, revocable, last-used time; a key does nothing but ingest."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ingest.models import Scraper, ScraperAPIKey
from leads.models import Lead, ScrapeRun
from tests.exports.factories import UserFactory
from tests.ingest.conftest import lead
from tests.security.routes import route_inventory

pytestmark = pytest.mark.django_db

INGEST_ROUTES = {"ingest:scrape-run-open", "ingest:scrape-run-finish", "ingest:leads-ingest"}
BATCH = {"scrape_run": None, "leads": [lead("1")]}


def keyed(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_a_key_is_stored_hashed_only(key):
    record, secret = key
    stored = ScraperAPIKey.objects.get(pk=record.pk)
    assert secret.startswith(stored.prefix + ".")
    assert secret not in {stored.pk, stored.hashed_key} and secret.split(".", 1)[1] not in stored.hashed_key
    assert stored.hashed_key.startswith("sha512$$")


def test_the_key_works_and_its_last_use_is_recorded(client, key, places):
    assert ScraperAPIKey.objects.get(pk=key[0].pk).last_used_at is None
    assert client.post("/api/v1/leads/ingest", BATCH, format="json").status_code == 200
    used = ScraperAPIKey.objects.get(pk=key[0].pk).last_used_at
    assert used is not None and timezone.now() - used < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("how", ["revoked", "inactive scraper", "expired", "wrong secret", "unknown"])
def test_a_dead_key_is_401_and_changes_nothing(key, places, how):
    record, secret = key
    if how == "revoked":
        ScraperAPIKey.objects.filter(pk=record.pk).update(revoked=True)
    elif how == "inactive scraper":
        Scraper.objects.filter(pk=record.scraper_id).update(active=False)
    elif how == "expired":
        ScraperAPIKey.objects.filter(pk=record.pk).update(expiry_date=timezone.now() - datetime.timedelta(days=1))
    elif how == "wrong secret":
        secret = secret.split(".")[0] + ".not-the-secret"
    else:
        secret = "nobody.nothing"
    client = keyed(secret)
    response = client.post("/api/v1/leads/ingest", BATCH, format="json")
    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Api-Key"
    run = client.post(
        "/api/v1/scrape-runs", {"location": "sfbay", "category": "sss", "started_at": "2026-12-01T09:00Z"}
    )
    assert run.status_code == 401
    assert not Lead.objects.exists() and not ScrapeRun.objects.exists()


def test_no_credentials_is_401_asking_for_a_key(db):
    response = APIClient().post("/api/v1/leads/ingest", BATCH, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Api-Key"


def test_a_staff_token_cannot_ingest(places):
    user = UserFactory(is_superuser=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.post("/api/v1/leads/ingest", BATCH, format="json")
    assert response.status_code == 403 and "scraper's API key" in response.json()["detail"]
    assert not Lead.objects.exists()


def _sample_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route).lstrip("^").rstrip("$")


def test_a_scraper_key_on_any_other_api_endpoint_is_403(client):
    checked = 0
    for (name, method), route in sorted(route_inventory().items()):
        if name in INGEST_ROUTES or not route.startswith("api/"):
            continue
        response = getattr(client, method)(_sample_path(route), {}, format="json")
        assert response.status_code == 403, (name, method, response.status_code, response.content[:200])
        checked += 1
    assert checked >= 15  # every export, history, analytics, config, schema and docs route


def test_admin_pages_do_not_accept_a_scraper_key(client):
    response = client.get(reverse("admin:leads_lead_changelist"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# The admin --------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(db, client):
    from django.test import Client

    browser = Client()
    browser.force_login(UserFactory(is_superuser=True))
    return browser


def test_a_key_made_in_the_admin_is_shown_once(admin_client, scraper, places):
    response = admin_client.post(
        reverse("admin:ingest_scraperapikey_add"), {"scraper": scraper.pk, "name": "laptop"}, follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    shown = re.search(r"The API key for laptop is: (\S+)\. ", " ".join(messages)).group(1)
    record = ScraperAPIKey.objects.get(name="laptop")
    assert record.scraper == scraper and shown.startswith(record.prefix)
    assert keyed(shown).post("/api/v1/leads/ingest", BATCH, format="json").status_code == 200
    page = admin_client.get(reverse("admin:ingest_scraperapikey_change", args=[record.pk]))
    assert shown not in page.content.decode()  # never again


def test_revoking_in_the_admin_stops_the_key(admin_client, key, client, places):
    response = admin_client.post(
        reverse("admin:ingest_scraperapikey_changelist"), {"action": "revoke", "_selected_action": [key[0].pk]}
    )
    assert response.status_code == 302
    assert ScraperAPIKey.objects.get(pk=key[0].pk).revoked
    assert client.post("/api/v1/leads/ingest", BATCH, format="json").status_code == 401


def test_a_scraper_made_in_the_admin_records_who_made_it(admin_client):
    admin_client.post(reverse("admin:ingest_scraper_add"), {"name": "cl-east", "active": "on", **_inline_management()})
    scraper = Scraper.objects.get(name="cl-east")
    assert scraper.active and scraper.created_by.is_superuser


def _inline_management() -> dict:
    prefix = "api_keys"
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
