import pytest

from tests.exports.factories import UserFactory
from tests.exports.services.fakes import FakeWriter, install
from tests.factories import LeadFactory

EXPORTER = ["leads.view_lead", "exports.export_leads"]
MANAGER = ["leads.view_lead", "exports.export_leads", "exports.view_contact_info", "exports.view_all_exports"]


@pytest.fixture
def exporter(db):
    """A sales-staff user: may export, no contact info, sees only their own exports."""
    return UserFactory(username="staff", permissions=EXPORTER)


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", permissions=MANAGER)


@pytest.fixture
def leads(db):
    return [LeadFactory(status="new"), LeadFactory(status="new"), LeadFactory(status="contacted")]


@pytest.fixture
def fake_writer(monkeypatch):
    return install(monkeypatch, FakeWriter())
