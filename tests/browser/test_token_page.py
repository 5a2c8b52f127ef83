"""The API token page in Chromium: create a token and copy it with one click."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_and_copy_the_token(staff_page, live_server, staff_user, screenshot):
    page = staff_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}{reverse('api-token')}")

    page.get_by_role("button", name="Create a token").click()
    page.get_by_role("button", name="Copy").click()

    key = Token.objects.get(user=staff_user).key
    # The clipboard write is asynchronous: wait for the page to say it finished.
    expect(page.locator("#api-token-copied")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == key
    screenshot(page, "api-token-page")
