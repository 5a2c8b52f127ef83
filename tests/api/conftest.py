import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.exports.factories import UserFactory
from tests.factories import LeadFactory

SALES_PERMISSIONS = ("leads.view_lead", "exports.export_leads", "exports.add_export", "exports.view_export")
MANAGER_PERMISSIONS = (
    *SALES_PERMISSIONS,
    "exports.view_contact_info",
    "exports.view_all_exports",
    "exports.cleanup_exports",
)


def grant(user, *perms):
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def sales_user(db):
    return grant(UserFactory(username="sales"), *SALES_PERMISSIONS)


@pytest.fixture
def manager_user(db):
    return grant(UserFactory(username="manager"), *MANAGER_PERMISSIONS)


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def sales_api(sales_user):
    return token_client(sales_user)


@pytest.fixture
def manager_api(manager_user):
    return token_client(manager_user)


@pytest.fixture
def leads(db):
    return [LeadFactory(title=f"Lead {n}", price=n * 10) for n in range(1, 6)]
