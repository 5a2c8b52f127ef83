"""Included by leadsite.urls under admin/dashboard/, before the admin's own URLs."""

from django.contrib import admin
from django.urls import path

from dashboard.views import dashboard_view

app_name = "dashboard"

urlpatterns = [
    path("", admin.site.admin_view(dashboard_view), name="index"),
]
