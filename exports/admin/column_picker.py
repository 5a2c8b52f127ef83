"""The export page's column picker as a form widget, so the saved-export form chooses columns the same way.

The ticked boxes come back in the order the picker shows them (static/exports/lead_export.js moves
them), which is the order of the columns in the file.
"""

from django import forms
from django.forms.widgets import Script
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from exports.content.columns import Column
from exports.forms import ColumnChoice


class ColumnPickerWidget(forms.CheckboxSelectMultiple):
    """Ticks and up/down buttons over `columns`; the chosen ones first, in their order."""

    template_name = "admin/exports/column_picker_widget.html"

    class Media:
        css = {"all": ["exports/exports.css", "exports/saved_form.css"]}
        # Deferred as on the export page: the script looks for the picker, which comes after the <head>.
        js = [Script("exports/lead_export.js", defer=True)]

    def __init__(self, attrs=None, columns: list[Column] | None = None):
        super().__init__(attrs)
        self.columns = list(columns or [])

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = [str(key) for key in (value or [])]
        by_key = {column.key: column for column in self.columns}
        ordered = [by_key[key] for key in chosen if key in by_key]
        ordered += [column for column in self.columns if column.key not in chosen]
        context["widget"]["column_choices"] = [
            ColumnChoice(column=column, checked=column.key in chosen) for column in ordered
        ]
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (the form renderer only searches the apps' template folders).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))
