"""Who may do what with an export record: the rules shared by every export service."""

from django.core.exceptions import PermissionDenied

from exports.content.transforms import needs_contact_permission
from exports.models import Export
from leads.contact_access import VIEW_CONTACT_INFO, contact_info_visible

EXPORT_LEADS = "exports.export_leads"
VIEW_LEADS = "leads.view_lead"
VIEW_ALL_EXPORTS = "exports.view_all_exports"

__all__ = [
    "EXPORT_LEADS",
    "VIEW_ALL_EXPORTS",
    "VIEW_CONTACT_INFO",
    "VIEW_LEADS",
    "can_export",
    "check_can_export",
    "plain_contact_info",
]


def can_export(*, user) -> bool:
    """Exporting leads takes the export permission and being allowed to view the leads at all."""
    return bool(user is not None and user.is_active and user.has_perm(EXPORT_LEADS) and user.has_perm(VIEW_LEADS))


def plain_contact_info(*, include_contact_info: bool, options=None) -> bool:
    """True when an export with these settings holds plain contact values (masked or hashed ones are not)."""
    return bool(include_contact_info) and needs_contact_permission(options)


def check_can_export(*, user, include_contact_info: bool, options=None) -> None:
    """Raise PermissionDenied unless `user` may create this export.

    Contact information needs the contact permission only when its values are plain: masked or
    hashed ones (`options["contact_mode"]`) may be exported by anyone who may export.
    """
    if not user.has_perm(EXPORT_LEADS):
        raise PermissionDenied("You do not have permission to export leads.")
    if not user.has_perm(VIEW_LEADS):
        raise PermissionDenied("You do not have permission to view leads, so you cannot export them.")
    if plain_contact_info(include_contact_info=include_contact_info, options=options) and not contact_info_visible(
        user=user
    ):
        raise PermissionDenied("You do not have permission to export contact information.")


def can_manage(*, export: Export, user) -> bool:
    """The owner, or anyone who may see everyone's exports, may download, cancel, re-run or delete it."""
    if not user.is_active:
        return False
    return (user.pk is not None and export.created_by_id == user.pk) or user.has_perm(VIEW_ALL_EXPORTS)


def check_can_manage(*, export: Export, user) -> None:
    if not can_manage(export=export, user=user):
        raise PermissionDenied("You do not have permission to use this export.")
