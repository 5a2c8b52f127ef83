"""The site's URLs plus two views whose query outlasts any sane statement time limit (PostgreSQL)."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path

from leadsite.urls import urlpatterns as site_urlpatterns


def slow_page(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(3)")
    return HttpResponse("finished")


def slow_api(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(3)")
    return JsonResponse({"finished": True})


urlpatterns = [path("slow/", slow_page), path("api/slow", slow_api), *site_urlpatterns]
