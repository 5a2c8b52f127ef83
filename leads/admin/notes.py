"""Notes and tags on a lead's page: sales staff add them (leads.add_leadnote); nobody rewrites history."""

from django.contrib import admin

from leads.models import LeadNote


class LeadNoteInline(admin.TabularInline):
    model = LeadNote
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
