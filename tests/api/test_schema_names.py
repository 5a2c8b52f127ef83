"""The OpenAPI component names read well: no doubled suffixes such as "ExportRequestRequest"."""

from tests.api.test_schema_fuzz import _schema_dict


def test_component_names_read_well_and_request_bodies_stay_strict():
    schemas = _schema_dict()["components"]["schemas"]
    assert not [name for name in schemas if "RequestRequest" in name]
    assert {"NewExportRequest", "AnalyticsRequest", "Export"} <= set(schemas)
    assert schemas["NewExportRequest"]["additionalProperties"] is False
    assert schemas["AnalyticsRequest"]["additionalProperties"] is False
