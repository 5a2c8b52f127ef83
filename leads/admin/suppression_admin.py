"""The do-not-contact list in the admin: add (e-mail and/or phone, reason), list, import, export, erase.

Values typed here are hashed at once (leads.contact_keys) and never stored; the list shows the kind,
a shortened key, the reason, who added it and when. Managers also get "Erase this person"
(leads.erasure), which needs the `leads.erase_person` permission.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from leads.admin.strict_changelist import SpecOnlyAdminMixin
from leads.erasure import person_erase
from leads.suppression import SuppressionError, suppress
from leads.suppression_io import suppression_list_csv, suppression_list_import
from leads.suppression_models import Suppression, SuppressionReason

ERASE_PERSON = "leads.erase_person"
MAX_UPLOAD_BYTES = 20_000_000


class ContactForm(forms.Form):
    email = forms.CharField(required=False, max_length=254, label="E-mail address")
    phone = forms.CharField(required=False, max_length=40, label="Phone number")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("email") or "").strip() and not (cleaned.get("phone") or "").strip():
            raise forms.ValidationError("Give an e-mail address, a phone number or both.")
        return cleaned


class SuppressionAddForm(ContactForm, forms.ModelForm):
    """What the add page asks: the values (hashed, never stored) and the reason."""

    class Meta:
        model = Suppression
        fields = ["reason"]


class EraseForm(ContactForm):
    confirm = forms.BooleanField(
        label="I understand: the contact data of every matching lead is removed for good, and export files "
        "that held them expire."
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns kind,key (an exported list) or email and/or phone.")
    reason = forms.ChoiceField(choices=SuppressionReason.choices, initial=SuppressionReason.MANUAL)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text.") from None


@admin.register(Suppression)
class SuppressionAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "short_key", "reason", "added_by", "created_at"]
    list_filter = ["kind", "reason"]
    list_select_related = ["added_by"]
    readonly_fields = ["kind", "key", "reason", "added_by", "created_at"]
    form = SuppressionAddForm
    change_list_template = "admin/leads/suppression/change_list.html"

    def has_change_permission(self, request, obj=None):
        return False  # an entry is a hash: there is nothing to edit, only to add or remove

    def get_fields(self, request, obj=None):
        return ["email", "phone", "reason"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.display(description="Key")
    def short_key(self, entry: Suppression) -> str:
        return f"{entry.key[:16]}…"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            entries = suppress(email=data["email"], phone=data["phone"], reason=data["reason"], added_by=request.user)
        except SuppressionError as error:
            raise PermissionDenied(str(error)) from error  # the form has checked the input already
        first = entries[0]
        obj.pk, obj.kind, obj.key, obj.created_at = first.pk, first.kind, first.key, first.created_at
        obj._state.adding = False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("erase/", view(self.erase_view), name="leads_suppression_erase"),
            path("import/", view(self.import_view), name="leads_suppression_import"),
            path("export/", view(require_GET(self.export_view)), name="leads_suppression_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_erase": request.user.has_perm(ERASE_PERSON), "can_import": self.has_add_permission(request)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    # Erase this person -------------------------------------------------------------------------

    def erase_view(self, request):
        if not request.user.has_perm(ERASE_PERSON):
            raise PermissionDenied
        form = EraseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            result = person_erase(email=form.cleaned_data["email"], phone=form.cleaned_data["phone"], user=request.user)
            self.message_user(
                request,
                f"Erased: {len(result.lead_ids)} lead(s) lost their contact data, {result.suppressed} value(s) are "
                f"on the do-not-contact list, {result.exports_expired} export file(s) expired.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:leads_suppression_changelist"))
        return self._page(request, form, title="Erase this person", submit="Erase this person")

    # The list in and out ------------------------------------------------------------------------

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = suppression_list_import(
                text=form.cleaned_data["file"], reason=form.cleaned_data["reason"], added_by=request.user
            )
            level = messages.WARNING if result.errors else messages.SUCCESS
            entries = "entry" if result.added == 1 else "entries"
            summary = f"Imported: {result.added} new {entries}, {result.already} already listed."
            self.message_user(request, " ".join([summary, *result.errors[:20]]), level)
            return redirect(reverse("admin:leads_suppression_changelist"))
        return self._page(request, form, title="Import a do-not-contact list", submit="Import", upload=True)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = StreamingHttpResponse(suppression_list_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="do-not-contact.csv"'
        return response

    def _page(self, request, form, *, title: str, submit: str, upload: bool = False):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "submit": submit,
            "upload": upload,
        }
        return TemplateResponse(request, "admin/leads/suppression/form_page.html", context)
