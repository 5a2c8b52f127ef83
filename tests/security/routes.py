"""The route inventory of the access matrix: every named URL the site serves and the methods it allows.

Read from Django's URL resolver, so a new route (or a new method on a view) appears here by itself;
tests/security/test_route_coverage.py fails until the matrix has a row for it.

Methods a route allows:
- class-based views (Django's and DRF's): the handlers the class defines (get, post, put, patch, delete);
- function views decorated with require_GET / require_POST / require_http_methods: those methods;
- other function views (the admin's own pages): GET shows, POST submits.
"""

from collections.abc import Iterator

from django.urls import URLResolver, get_resolver

HANDLERS = ("get", "post", "put", "patch", "delete")
HTTP_METHOD_NAMES = {name.upper() for name in HANDLERS} | {"HEAD", "OPTIONS"}


def named_routes(
    resolver=None, prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[tuple[str, str, object]]:
    """(view name with namespaces, route, callback) for every named URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            spaces = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from named_routes(pattern, route, spaces)
        elif pattern.name:
            yield ":".join((*namespaces, pattern.name)), route, pattern.callback


def _declared_methods(callback) -> set[str] | None:
    """The methods a require_http_methods-style decorator allows, read from its closure."""
    function = callback
    while function is not None:
        for cell in getattr(function, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, (list, tuple))
                and value
                and all(isinstance(item, str) and item in HTTP_METHOD_NAMES for item in value)
            ):
                return {item.lower() for item in value} - {"head", "options"}
        function = getattr(function, "__wrapped__", None)
    return None


def allowed_methods(callback) -> set[str]:
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        allowed = set(getattr(view_class, "http_method_names", HANDLERS))
        return {name for name in HANDLERS if name in allowed and hasattr(view_class, name)}
    declared = _declared_methods(callback)
    if declared is not None:
        return declared
    return {"get", "post"}


def route_inventory() -> dict[tuple[str, str], str]:
    """(view name, method) -> route, for every named route and every method it allows."""
    return {
        (name, method): route
        for name, route, callback in named_routes()
        for method in sorted(allowed_methods(callback))
    }
