from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsActiveStaff(BasePermission):
    """Only active staff use the API, as in the admin."""

    message = "Only active staff users can use the API."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class HasModelPermission(BasePermission):
    """The Django permissions listed in the view's `required_permissions` (all of them)."""

    def has_permission(self, request, view):
        required = getattr(view, "required_permissions", ())
        return request.user.has_perms(required)


class NotFromAnotherSite(BasePermission):
    """A browser request that another site started never acts on the signed-in user's session.

    The session cookie is SameSite=Strict, so browsers do not send it with such requests; this
    refuses them again where the browser says so (Sec-Fetch-Site), for the GET endpoints that create
    export records. Scripts authenticate with a token and are not affected.
    """

    message = "This request came from another site; start exports from Leadsite itself or use an API token."

    def has_permission(self, request, view):
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            return True
        if request.method not in SAFE_METHODS:
            return True  # unsafe methods are CSRF-checked for sessions
        return request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") in ("same-origin", "none")
