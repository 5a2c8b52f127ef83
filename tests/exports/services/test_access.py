import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from exports.services.access import can_manage, check_can_export
from tests.exports.factories import ExportFactory, UserFactory


def test_export_needs_export_leads(exporter, manager):
    check_can_export(user=exporter, include_contact_info=False)
    check_can_export(user=manager, include_contact_info=True)
    with pytest.raises(PermissionDenied, match="export leads"):
        check_can_export(user=UserFactory(), include_contact_info=False)
    with pytest.raises(PermissionDenied, match="contact information"):
        check_can_export(user=exporter, include_contact_info=True)


def test_owner_or_view_all_manage_an_export(exporter, manager):
    export = ExportFactory(created_by=exporter)

    assert can_manage(export=export, user=exporter)
    assert can_manage(export=export, user=manager)
    assert not can_manage(export=export, user=UserFactory())
    assert not can_manage(export=export, user=AnonymousUser())


def test_an_export_whose_owner_was_deleted_needs_view_all(exporter, manager):
    export = ExportFactory(created_by=None)

    assert not can_manage(export=export, user=exporter)
    assert can_manage(export=export, user=manager)
