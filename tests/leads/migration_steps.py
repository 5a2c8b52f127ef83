"""Helpers for the migration tests: move the test database to a migration, and seed it with historical models."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to `targets`; returns the historical apps there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_place(apps):
    """(Lead model, a location, a category) of the historical apps, for creating leads there."""
    location = apps.get_model("leads", "Location").objects.create(name="SF bay area", site_code="sfbay")
    category = apps.get_model("leads", "Category").objects.create(name="for sale", code="sss")
    return apps.get_model("leads", "Lead"), location, category
