"""Template tags for pages that offer exports (the dashboard's "Export this view")."""

from django import template

from exports.records.selectors import export_dashboard_choices

register = template.Library()


@register.simple_tag
def dashboard_export_formats() -> list[dict]:
    """[{format, label, data_type}] for every registered format that can hold the dashboard's analytics."""
    return export_dashboard_choices()
