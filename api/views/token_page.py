"""An admin page where staff create or revoke their own API token."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from api.tokens import api_token_get, api_token_regenerate, api_token_revoke


@require_http_methods(["GET", "POST"])
def api_token_page(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if api_token_revoke(user=request.user):
                messages.success(request, "Your API token was revoked; scripts using it are now refused.")
        else:
            api_token_regenerate(user=request.user)
            messages.success(request, "A new API token was created; any previous token stopped working.")
        return redirect("api-token")
    context = {
        **admin.site.each_context(request),
        "title": "Your API token",
        "token": api_token_get(user=request.user),
        "api_base_url": request.build_absolute_uri("/").rstrip("/"),
    }
    return TemplateResponse(request, "admin/api/token.html", context)
