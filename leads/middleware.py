"""Reads every request's lead specs for its user: the search leaves contact fields alone without the permission."""

from leads.contact_access import contact_search_for


class ContactSearchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The user is read when a spec is, so the API's token authentication (in the view) counts too.
        with contact_search_for(lambda: getattr(request, "user", None)):
            return self.get_response(request)
