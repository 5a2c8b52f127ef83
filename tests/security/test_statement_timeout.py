"""On PostgreSQL a web request's statements are cancelled after DB_STATEMENT_TIMEOUT: a 503 with a sentence."""

import pytest
from django.db import connection

from leadsite.db_timeouts import TIMEOUT_MESSAGE, statement_timeout_apply

pytestmark = [
    pytest.mark.django_db(transaction=True),  # autocommit, as the web process runs
    pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's"),
]


@pytest.fixture
def slow_site(settings):
    settings.ROOT_URLCONF = "tests.security.slow_urls"
    settings.DB_STATEMENT_TIMEOUT = 1
    yield
    # The limit stays on the test's connection: lift it before the database is flushed.
    statement_timeout_apply(seconds=0)


def test_a_runaway_page_query_is_stopped_with_a_message(admin_client, slow_site):
    response = admin_client.get("/slow/")
    assert response.status_code == 503  # cancelled: without a limit the view answers "finished"
    assert TIMEOUT_MESSAGE in response.content.decode()
    assert response["Retry-After"] == "30"


def test_a_runaway_api_query_is_a_json_503(admin_client, slow_site):
    response = admin_client.get("/api/slow")
    assert response.status_code == 503
    assert response.json() == {"detail": TIMEOUT_MESSAGE}


def test_the_connection_is_usable_after_a_cancel_and_the_limit_can_be_off(admin_client, slow_site, settings):
    assert admin_client.get("/slow/").status_code == 503
    assert admin_client.get("/admin/").status_code == 200
    settings.DB_STATEMENT_TIMEOUT = 0
    assert admin_client.get("/slow/").content == b"finished"


def test_web_requests_get_the_configured_limit(admin_client, settings):
    settings.DB_STATEMENT_TIMEOUT = 7
    admin_client.get("/admin/")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "7s"
