"""Every list of the project's admin is titled by what it lists, as people read it, never "Select … to change"."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.text import capfirst

pytestmark = pytest.mark.django_db

# The project's own lists (Django's and the libraries' superuser pages keep their wording).
PROJECT_APPS = ("leads", "exports", "ingest", "outreach", "rules", "operations")
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS),
    key=lambda model: model._meta.label,
)


@pytest.mark.parametrize("model", MODELS, ids=[model._meta.label for model in MODELS])
def test_the_list_is_titled_by_its_plural_name(admin_client, model):
    opts = model._meta
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    title = response.context["title"]
    assert not title.startswith("Select"), title
    if opts.label not in OWN_TITLES:
        assert title == capfirst(opts.verbose_name_plural)


# Lists whose view writes a title of its own.
OWN_TITLES = {"exports.Export", "leads.Lead"}
