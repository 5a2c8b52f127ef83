import pytest
from django.urls import reverse

from exports.models import Export, ExportStatus
from tests.exports.factories import ExportFactory, UserFactory
from tests.factories import LeadFactory, LocationFactory

EXPORTER = ["leads.view_lead", "exports.export_leads"]
MANAGER = ["leads.view_lead", "exports.export_leads", "exports.view_contact_info", "exports.view_all_exports"]
HISTORY = "admin:exports_export_changelist"


@pytest.fixture
def exporter(db):
    return UserFactory(username="staff", permissions=EXPORTER)


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", permissions=EXPORTER)


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", permissions=MANAGER)


def history(client, user, **params):
    client.force_login(user)
    response = client.get(reverse(HISTORY), params)
    assert response.status_code == 200
    return response


def test_history_lists_own_exports_newest_first(client, exporter, colleague):
    older = ExportFactory.aged(days=3, created_by=exporter, completed=True)
    newer = ExportFactory(created_by=exporter)
    ExportFactory(created_by=colleague)

    response = history(client, exporter)

    assert list(response.context["cl"].result_list) == [newer, older]
    assert response.context["title"] == "Export history"
    assert response.context["subtitle"] == "Your exports"


def test_history_lists_everyones_exports_with_view_all(client, exporter, colleague, manager):
    ExportFactory(created_by=exporter)
    ExportFactory(created_by=colleague)

    response = history(client, manager)

    assert {export.created_by for export in response.context["cl"].result_list} == {exporter, colleague}
    assert response.context["subtitle"] == "Everyone's exports"


def test_history_needs_an_export_permission(client, db):
    client.force_login(UserFactory(username="reader", permissions=["leads.view_lead"]))

    assert client.get(reverse(HISTORY)).status_code == 403


def test_history_rows_show_status_progress_format_rows_size_and_summary(client, exporter):
    oakland = LocationFactory(name="Oakland", site_code="oak")
    ExportFactory(
        created_by=exporter,
        running=True,
        progress=40,
        rows_written=400,
        row_count=1000,
        filters={"status": ["new"], "location_ids": [oakland.pk]},
    )
    ExportFactory(created_by=exporter, completed=True, file_content=b"x" * 2048, format="excel")

    html = history(client, exporter).content.decode()

    assert 'class="export-status export-status-running"' in html
    assert '<progress max="100" value="40">' in html
    assert "40%" in html
    assert "400 of 1,000" in html
    assert "Status: New · Locations: Oakland" in html
    assert "2.0\xa0KB" in html
    assert ">Excel<" in html


def test_only_completed_exports_offer_a_download(client, exporter):
    done = ExportFactory(created_by=exporter, completed=True, file_content=b"a\n")
    pending = ExportFactory(created_by=exporter)

    html = history(client, exporter).content.decode()

    download = reverse("exports:download", args=[done.pk])
    assert f'<a href="{download}" class="button export-download" role="button">Download</a>' in html
    assert reverse("exports:download", args=[pending.pk]) not in html
    assert reverse("exports:cancel", args=[pending.pk]) in html
    assert reverse("exports:cancel", args=[done.pk]) not in html
    assert reverse("exports:rerun", args=[done.pk]) in html


def test_history_polls_while_exports_are_active(client, exporter):
    ExportFactory(created_by=exporter)

    html = history(client, exporter).content.decode()

    assert f'data-status-url="{reverse("exports:status")}"' in html
    assert 'data-export-status="pending"' in html
    assert 'id="export-row-action"' in html  # the rows' POST buttons target this CSRF-protected form


def test_history_filters_by_status(client, exporter):
    done = ExportFactory(created_by=exporter, completed=True)
    ExportFactory(created_by=exporter)

    response = history(client, exporter, status__exact="completed")

    assert list(response.context["cl"].result_list) == [done]


def test_summaries_of_a_page_cost_one_location_query(client, exporter, django_assert_max_num_queries):
    locations = [LocationFactory(name=f"Town {n}", site_code=f"t{n}") for n in range(5)]
    for location in locations:
        ExportFactory(created_by=exporter, filters={"location_ids": [location.pk]})
    client.force_login(exporter)
    client.get(reverse(HISTORY))  # warm the session and permission caches

    with django_assert_max_num_queries(12):
        response = client.get(reverse(HISTORY))

    assert "Locations: Town 3" in response.content.decode()


def test_the_record_view_is_read_only_with_its_downloads(client, exporter):
    export = ExportFactory(created_by=exporter, completed=True, file_content=b"a\n", file_name="leads_x.csv")
    client.force_login(exporter)
    client.get(reverse("exports:download", args=[export.pk]))

    response = client.get(reverse("admin:exports_export_change", args=[export.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in html
    assert "Downloads" in html
    assert reverse("exports:download", args=[export.pk]) in html


def test_someone_elses_record_is_not_shown(client, exporter, colleague):
    export = ExportFactory(created_by=colleague)
    client.force_login(exporter)

    response = client.get(reverse("admin:exports_export_change", args=[export.pk]))

    assert response.status_code == 302  # the admin's "doesn't exist" redirect
    assert response["Location"] == reverse("admin:index")


def test_records_cannot_be_added_changed_or_deleted_in_the_admin(client, manager):
    export = ExportFactory(created_by=manager, completed=True)
    client.force_login(manager)

    assert client.get(reverse("admin:exports_export_add")).status_code == 403
    assert client.post(reverse("admin:exports_export_delete", args=[export.pk])).status_code == 403
    assert Export.objects.filter(pk=export.pk).exists()


def test_cancel_selected_action(client, exporter):
    pending = ExportFactory(created_by=exporter)
    done = ExportFactory(created_by=exporter, completed=True)
    client.force_login(exporter)

    response = client.post(
        reverse(HISTORY), {"action": "cancel_selected", "_selected_action": [pending.pk, done.pk]}, follow=True
    )

    pending.refresh_from_db()
    done.refresh_from_db()
    assert pending.status == ExportStatus.CANCELLED
    assert done.status == ExportStatus.COMPLETED
    assert "Cancelled 1 export." in [str(message) for message in response.context["messages"]]


def test_rerun_selected_action(client, exporter):
    LeadFactory()
    export = ExportFactory(created_by=exporter, completed=True, columns=["id"])
    client.force_login(exporter)

    client.post(reverse(HISTORY), {"action": "rerun_selected", "_selected_action": [export.pk]})

    assert Export.objects.get(rerun_of=export).status == ExportStatus.COMPLETED


def test_actions_cannot_reach_someone_elses_export(client, exporter, colleague):
    theirs = ExportFactory(created_by=colleague)
    client.force_login(exporter)

    client.post(reverse(HISTORY), {"action": "cancel_selected", "_selected_action": [theirs.pk]})

    theirs.refresh_from_db()
    assert theirs.status == ExportStatus.PENDING


def test_the_admin_header_links_to_the_export_history_for_exporters(client, exporter):
    client.force_login(exporter)
    exporter_page = client.get(reverse("admin:index")).content.decode()
    client.force_login(UserFactory(username="reader", permissions=["leads.view_lead"]))
    reader_page = client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{reverse("exports:history")}" id="export-history-link">Export history</a>' in exporter_page
    assert 'id="export-history-link"' not in reader_page
