"""The Duplicates admin pages, mounted at /admin/leads/duplicates/ (before the admin's own URLs) by leadsite/urls.py."""

from django.contrib import admin
from django.urls import path

from leads.duplicates import views

app_name = "duplicates"


def staff(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("", staff(views.duplicate_list_view), name="list"),
    path("<int:group_id>/", staff(views.duplicate_group_view), name="group"),
    path("<int:group_id>/merge/", staff(views.duplicate_merge_view), name="merge"),
    path("merges/<int:merge_id>/undo/", staff(views.lead_merge_undo_view), name="undo"),
]
