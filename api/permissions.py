from rest_framework.permissions import BasePermission


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
