"""Every named route x every method it allows has a row in the access matrix (rows x every role).

The inventory comes from the URL resolver (tests/security/routes.py): a new route, or a new method
on a view, fails this test until a row says what each role gets.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.security.figures import figure_add
from tests.security.matrix import world_build
from tests.security.routes import route_inventory
from tests.security.test_access_matrix import ROWS

pytestmark = pytest.mark.django_db


def covered(world) -> set[tuple[str, str]]:
    pairs = set()
    for row in ROWS:
        target = row.prepare(world) if row.prepare else None
        path = urlsplit(row.url(world, target)).path
        try:
            match = resolve(path)
        except Resolver404:
            continue  # rows for paths that must match nothing (hostile ids)
        if match.view_name:
            pairs.add((match.view_name, row.method))
    return pairs


def test_every_route_and_method_has_a_matrix_row(settings):
    settings.API_EXPORT_RATE = "100000/minute"
    inventory = route_inventory()
    missing = sorted(set(inventory) - covered(world_build()))
    figure_add("named routes x methods in the access matrix", len(inventory))
    assert not missing, "no access-matrix row for:\n" + "\n".join(
        f"{m.upper()} {n} ({inventory[(n, m)]})" for n, m in missing
    )
