"""Changelists that accept only the parameters they declare.

Django's changelist turns any query-string key it does not recognise into an ORM lookup
(`?description__regex=...`, `?id__in=1,2`), which lets a URL run arbitrary, slow or failing
queries and shows a list that its Export button does not match. `SpecOnlyAdminMixin` (used by
every ModelAdmin of the project) accepts only:

- the admin's own parameters (ordering, page, search, popups, ...),
- the parameters its sidebar list filters and date hierarchy claim,
- `spec_parameters` declared by the admin (the lead FilterSet's, for leads).

Anything else, and a filter value the database cannot take, is refused with a message above an
empty list, instead of Django's bare "?e=1" page or a server error.
"""

from django.contrib import messages
from django.contrib.admin import FieldListFilter
from django.contrib.admin.options import IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ALL_VAR, ERROR_FLAG, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.db.models import Field

from leads.admin.list_titles import PlainTitleChangeListMixin

ADMIN_PARAMETERS: frozenset[str] = frozenset(
    {
        ORDER_VAR,
        PAGE_VAR,
        SEARCH_VAR,
        ERROR_FLAG,
        ALL_VAR,
        IS_POPUP_VAR,
        TO_FIELD_VAR,
        IS_FACETS_VAR,  # the "Show counts" toggle of the sidebar
        "_changelist_filters",
    }
)


def unknown_parameters_message(names: list[str] | tuple[str, ...], known: list[str]) -> str:
    listed = ", ".join(f"“{name}”" for name in names)
    return (
        f"This list cannot be filtered by {listed}. "
        f"Use the filters on the side, or these parameters: {', '.join(sorted(known))}."
    )


class SpecOnlyChangeListMixin:
    """Mixed into the admin's ChangeList class by SpecOnlyAdminMixin.get_changelist()."""

    refused_parameters: tuple[str, ...] = ()
    refused_message: str | None = None

    def filter_parameters_known(self, request) -> set[str]:
        """Every filter parameter this list understands (beside the admin's own)."""
        known = set(getattr(self.model_admin, "spec_parameters", ()))
        # The sidebar filters, built without any value, tell which parameters they read (also those
        # that draw nothing until one of their parameters is set).
        for list_filter in self.list_filter:
            if callable(list_filter):
                spec = list_filter(request, {}, self.model, self.model_admin)
            else:
                field, filter_class = (
                    list_filter if isinstance(list_filter, (tuple, list)) else (list_filter, FieldListFilter.create)
                )
                field_path = None
                if not isinstance(field, Field):
                    field_path = field
                    field = get_fields_from_path(self.model, field_path)[-1]
                spec = filter_class(field, request, {}, self.model, self.model_admin, field_path=field_path)
            known.update(spec.expected_parameters())
        if self.date_hierarchy:
            known.update(f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day"))
        return known

    def get_filters(self, request):
        candidates = set(self.filter_params) - ADMIN_PARAMETERS
        if candidates and not self.refused_parameters:
            known = self.filter_parameters_known(request)
            refused = tuple(sorted(candidates - known))
            if refused:
                self.refused_parameters = refused
                self.refused_message = unknown_parameters_message(refused, list(known | {SEARCH_VAR, ORDER_VAR}))
        if self.refused_parameters:
            # Never handed to the ORM, and left out of every link the page draws.
            self.filter_params = {
                name: values for name, values in self.filter_params.items() if name not in self.refused_parameters
            }
        return super().get_filters(request)

    def get_queryset(self, request, exclude_parameters=None):
        try:
            queryset = super().get_queryset(request, exclude_parameters)
        except IncorrectLookupParameters as error:
            # A declared parameter with a value the database cannot take (e.g. a letter for an id).
            self._refuse(request, f"A filter value is not valid: {_reason(error)}")
            return self.root_queryset.none()
        if self.refused_parameters:
            self._refuse(request, self.refused_message)
            return queryset.none()
        return queryset

    def _refuse(self, request, message: str) -> None:
        # Actions read the queryset a second time: say it once.
        if not getattr(self, "_refusal_said", False):
            messages.error(request, message)
            self._refusal_said = True


def _reason(error: Exception) -> str:
    cause = error.__cause__ or error
    text = "; ".join(getattr(cause, "messages", None) or [str(cause)])
    return text[:200] or "the value does not fit the field."


_STRICT_CHANGELISTS: dict[type, type] = {}  # one strict subclass per changelist class


class SpecOnlyAdminMixin:
    """A ModelAdmin whose changelist refuses every query parameter it does not declare (module docstring).

    A subclass may still choose its own ChangeList class in `get_changelist()`: the class it returns
    is made strict too.
    """

    spec_parameters: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("get_changelist")
        if own is not None and not getattr(own, "spec_only", False):

            def get_changelist(self, request, **changelist_kwargs):
                return strict_changelist_class(own(self, request, **changelist_kwargs))

            get_changelist.spec_only = True
            cls.get_changelist = get_changelist

    def get_changelist(self, request, **kwargs):
        return strict_changelist_class(super().get_changelist(request, **kwargs))


def strict_changelist_class(base: type) -> type:
    """`base` with SpecOnlyChangeListMixin (and the plain list title) in front (one subclass per base, made once)."""
    if issubclass(base, SpecOnlyChangeListMixin):
        return base
    strict = _STRICT_CHANGELISTS.get(base)
    if strict is None:
        strict = _STRICT_CHANGELISTS[base] = type(
            f"SpecOnly{base.__name__}", (SpecOnlyChangeListMixin, PlainTitleChangeListMixin, base), {}
        )
    return strict
