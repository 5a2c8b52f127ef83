"""Notes and tags on a lead's page: sales staff add them (leads.add_leadnote); nobody rewrites history."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from leads.models import LeadNote


class OptionalInlineFormSet(BaseInlineFormSet):
    """A lead form posted without this section (a script, an older page) adds nothing here, instead of failing."""

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        name = prefix or self.get_default_prefix()
        if data is not None and f"{name}-TOTAL_FORMS" not in data:
            data = data.copy()
            data[f"{name}-TOTAL_FORMS"] = "0"
            data[f"{name}-INITIAL_FORMS"] = "0"
        super().__init__(data, *args, prefix=prefix, **kwargs)


class LeadNoteInline(admin.TabularInline):
    model = LeadNote
    formset = OptionalInlineFormSet
    extra = 1
    fields = ["text", "tag", "author", "source", "created_at"]
    readonly_fields = ["author", "source", "created_at"]
    verbose_name = "note or tag"
    verbose_name_plural = "notes and tags"

    def has_change_permission(self, request, obj=None):
        return False  # a note once written stays as written; add another

    def has_delete_permission(self, request, obj=None):
        return False


def note_author_set(request, formset) -> None:
    """Sign the notes this request adds with its user."""
    for form in formset.forms:
        note = form.instance
        if note.pk is None and note.author_id is None and (note.text or note.tag):
            note.author = request.user
