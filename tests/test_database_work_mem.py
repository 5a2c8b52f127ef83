"""PostgreSQL connections get DB_WORK_MEM, so the dashboard's rollup sort does not spill to disk."""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_connections_use_the_configured_work_mem():
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == settings.DB_WORK_MEM == "32MB"
