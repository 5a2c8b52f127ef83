"""The Duplicates admin pages (/admin/leads/duplicates/): thin views over the selectors and merge services.

Wrapped in admin_site.admin_view (leads/duplicates/urls.py): active staff only. Viewing needs
`leads.view_lead`; merging and undoing need `leads.merge_leads` (the Sales manager group).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from leads.contact_access import CONTACT_FIELDS, contact_info_visible
from leads.duplicates.merging import MergeError, group_merge, merge_plan, merge_undo, merge_undoable_until
from leads.duplicates.selectors import duplicate_group_get, duplicate_group_list, lead_merge_undoable_list
from leads.models import Lead

VIEW_PERMISSION = "leads.view_lead"
MERGE_PERMISSION = "leads.merge_leads"
GROUPS_PER_PAGE = 25


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _context(request: HttpRequest, **extra) -> dict:
    return {
        **admin.site.each_context(request),
        "opts": Lead._meta,
        "can_merge": request.user.has_perm(MERGE_PERMISSION),
        "show_contact": contact_info_visible(user=request.user),
        "list_url": reverse("duplicates:list"),
        **extra,
    }


@require_GET
def duplicate_list_view(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW_PERMISSION)
    page = Paginator(duplicate_group_list(), GROUPS_PER_PAGE).get_page(request.GET.get("p"))
    merges = [(merge, merge_undoable_until(merge)) for merge in lead_merge_undoable_list()]
    context = _context(request, title="Duplicates", page=page, merges=merges)
    return TemplateResponse(request, "admin/leads/duplicates/list.html", context)


@require_GET
def duplicate_group_view(request: HttpRequest, group_id: int) -> HttpResponse:
    """A group's leads and, before any merge is confirmed, which value wins for each field."""
    _require(request, VIEW_PERMISSION)
    group = duplicate_group_get(group_id=group_id)
    if group is None:
        raise Http404("No such duplicate group.")
    try:
        plan, plan_error = merge_plan(group=group), None
    except MergeError as error:
        plan, plan_error = None, str(error)
    context = _context(
        request,
        title=f"Duplicate group {group.pk}",
        group=group,
        plan=plan,
        plan_error=plan_error,
        contact_fields=CONTACT_FIELDS,
    )
    return TemplateResponse(request, "admin/leads/duplicates/group.html", context)


@require_POST
def duplicate_merge_view(request: HttpRequest, group_id: int) -> HttpResponse:
    _require(request, MERGE_PERMISSION)
    try:
        merge = group_merge(group_id=group_id, user=request.user)
    except MergeError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("duplicates:list"))
    messages.success(
        request,
        f"Merged {len(merge.merged_ids)} duplicate(s) into lead #{merge.survivor_id}; "
        "the merge can be undone below for a while.",
    )
    return HttpResponseRedirect(reverse("duplicates:list"))


@require_POST
def lead_merge_undo_view(request: HttpRequest, merge_id: int) -> HttpResponse:
    _require(request, MERGE_PERMISSION)
    try:
        merge = merge_undo(merge_id=merge_id, user=request.user)
    except MergeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Undid the merge into lead #{merge.survivor_id}.")
    return HttpResponseRedirect(reverse("duplicates:list"))
