"""The unsubscribe link: a GET (someone clicked it) and the RFC 8058 one-click POST do the same.

Both put the address on the do-not-contact list at once; neither needs a login, and the POST is
exempt from CSRF because mail clients send it without a cookie (the signed token is the proof).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from outreach.models import AutoResponse
from outreach.services.sending import unsubscribe_token_read
from outreach.services.tracking import auto_response_opt_out


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    pk = unsubscribe_token_read(token)
    row = AutoResponse.objects.filter(pk=pk).first() if pk is not None else None
    if row is None:
        return render(request, "outreach/unsubscribe_invalid.html", status=404)
    auto_response_opt_out(row, via="one-click" if request.method == "POST" else "link")
    if request.method == "POST":
        return HttpResponse("Unsubscribed.\n", content_type="text/plain; charset=utf-8")
    return render(request, "outreach/unsubscribed.html")
