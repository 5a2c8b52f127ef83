from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from exports.admin.lead_mixin import LeadExportAdminMixin
from leads.admin import display
from leads.admin.actions import STATUS_ACTIONS
from leads.admin.changelist import LeadChangeList
from leads.admin.lead_import import LeadImportAdminMixin
from leads.admin.notes import LeadNoteInline, note_author_set
from leads.admin.paginator import LeadPaginator
from leads.admin.sidebar import LEAD_LIST_FILTERS
from leads.admin.strict_changelist import SpecOnlyAdminMixin
from leads.contact_access import CONTACT_FIELDS, SCRAPED_FIELDS, contact_info_visible, scraped_data_editable
from leads.duplicates.selectors import lead_duplicates
from leads.filters import FILTER_PARAMETERS
from leads.models import Lead
from leads.services import lead_contacts_refresh
from leads.web_urls import safe_web_url

CONTACT_SECTION = "Contact"
SEARCH_HELP = "Words in the title or description, or a Craigslist post id."
SEARCH_HELP_WITH_CONTACT = "Words in the title, description, contact name, e-mail or phone, or a Craigslist post id."


@admin.register(Lead)
class LeadAdmin(SpecOnlyAdminMixin, LeadImportAdminMixin, LeadExportAdminMixin, admin.ModelAdmin):
    """The main screen: the lead list, filtered by the one spec (see LeadChangeList), and a lead's page."""

    list_display = [
        "title",
        "status_badge",
        "price_display",
        "location",
        "category",
        "contact",
        "found",
        "group_size",
    ]
    list_display_links = ["title"]
    list_filter = LEAD_LIST_FILTERS
    list_select_related = ["location", "category", "duplicate_group"]
    # Only switches the search box on; the term is the spec's `q`, applied by LeadChangeList.
    search_fields = ["title"]
    search_help_text = SEARCH_HELP_WITH_CONTACT
    # The changelist reads the spec's parameters (besides what its sidebar filters claim); nothing else.
    spec_parameters = FILTER_PARAMETERS
    show_full_result_count = False
    paginator = LeadPaginator
    # The sidebar filters do not filter on their own, so the admin could not count their choices.
    show_facets = admin.ShowFacets.NEVER
    actions = list(STATUS_ACTIONS)
    list_per_page = 50

    fieldsets = [
        (None, {"fields": ["title", "status", "assigned_to", "price", "description"]}),
        ("Craigslist post", {"fields": ["post_link", "url", "location", "category", "source_post_id", "posted_at"]}),
        (CONTACT_SECTION, {"fields": [*CONTACT_FIELDS, "email_as_posted", "phone_as_posted", "quality"]}),
        ("History", {"fields": ["scraped_at", "updated_at", "scrape_run"]}),
    ]
    readonly_fields = [
        "post_link",
        "scraped_at",
        "updated_at",
        "scrape_run",
        "email_as_posted",
        "phone_as_posted",
        "quality",
    ]
    autocomplete_fields = ["location", "category"]
    raw_id_fields = ["assigned_to"]
    inlines = [LeadNoteInline]
    # A plain URL box: the page already links to the post above it.
    formfield_overrides = {models.URLField: {"widget": forms.URLInput(attrs={"class": "vURLField"})}}

    class Media:
        css = {"all": ["leads/admin.css"]}
        js = ["leads/admin.js"]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "Leads", **(extra_context or {})})

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Say what this user's search matches (contact fields only for those who may see them).
        if not contact_info_visible(user=request.user):
            changelist.search_help_text = SEARCH_HELP
        return changelist

    # Who sees and edits what (leads.contact_access) ---------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if contact_info_visible(user=request.user):
            return fieldsets
        # Neither the values nor inputs: the section is not on the page at all.
        return [(name, options) for name, options in fieldsets if name != CONTACT_SECTION]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not scraped_data_editable(user=request.user):
            # Sales staff work a lead (its status); what the scraper found stays as found.
            readonly += [name for name in SCRAPED_FIELDS if name not in readonly]
        return readonly

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if not contact_info_visible(user=request.user):
            # Whether a lead has an e-mail or a phone, never the values.
            columns = ["contact_presence" if name == "contact" else name for name in columns]
        return columns

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The lead's duplicate group under its fields (templates/admin/leads/lead/change_form.html).
        if obj is not None:
            group, others = lead_duplicates(lead=obj)
            context.update(
                duplicate_group=group, duplicate_others=others, show_contact=contact_info_visible(user=request.user)
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_model(self, request, obj, form, change):
        # A typed e-mail or phone is stored normalised, as an import would store it (leads.contact_fields).
        changed = set(form.changed_data)
        if not change or {"email", "phone", "title", "description"} & changed:
            lead_contacts_refresh(
                lead=obj,
                email=form.cleaned_data["email"] if "email" in changed else None,
                phone=form.cleaned_data["phone"] if "phone" in changed else None,
            )
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        # Whether each lead is on the do-not-contact list: one EXISTS per row in the same query.
        return super().get_queryset(request).with_suppression_flag()

    def save_formset(self, request, form, formset, change):
        note_author_set(request, formset)
        super().save_formset(request, form, formset, change)

    def get_changelist(self, request, **kwargs):
        return LeadChangeList

    def get_search_results(self, request, queryset, search_term):
        # The search term is the spec's `q`, applied by LeadChangeList with the other filters.
        return queryset, False

    # Columns -------------------------------------------------------------------------------------

    @admin.display(description="Status", ordering="status")
    def status_badge(self, lead: Lead):
        return display.status_badge(lead.status, lead.get_status_display())

    @admin.display(description="Price", ordering="price")
    def price_display(self, lead: Lead):
        return display.money(lead.price)

    # The list's contact column carries the quality badge too: one column keeps the list within 1280 px.
    @admin.display(description="Contact")
    def contact(self, lead: Lead):
        return format_html("{}<br>{}", display.contact_icons(email=lead.email, phone=lead.phone), self.quality(lead))

    @admin.display(description="Contact")
    def contact_presence(self, lead: Lead):
        icons = display.contact_icons(email=lead.email, phone=lead.phone, show_values=False)
        return format_html("{}<br>{}", icons, self.quality(lead))

    @admin.display(description="Contact quality", ordering="contact_quality")
    def quality(self, lead: Lead):
        # The quality, never the values: shown to everyone (leads.contact_access).
        badge = display.contact_quality_badge(
            lead.contact_quality, lead.get_contact_quality_display(), extracted=lead.contact_extracted
        )
        if getattr(lead, "is_suppressed", False):
            return badge + display.suppressed_badge()
        return badge

    @admin.display(description="Found", ordering="scraped_at")
    def found(self, lead: Lead):
        return display.moment(lead.scraped_at)

    @admin.display(description="Dups")
    def group_size(self, lead: Lead):
        return display.duplicate_group(lead.duplicate_group, merged_into_id=lead.merged_into_id)

    @admin.display(description="Post on Craigslist")
    def post_link(self, lead: Lead):
        url = safe_web_url(lead.url)
        if url is None:
            # Only http(s) addresses become links; anything else (javascript:, data:) is shown as text.
            return lead.url or None
        return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">Open on Craigslist ↗</a>', url)
