"""A URL configuration without the exports URLs, to test links that fall back to the admin."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
