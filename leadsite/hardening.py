"""Response headers a reviewer expects on the JSON API."""

from django.utils.cache import patch_cache_control


class ApiNoStoreMiddleware:
    """API answers carry lead data and export records: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True)
        return response
