"""factory_boy factories for export records (append new factories below)."""

import factory
from django.contrib.auth import get_user_model

from exports.models import Export, ExportFormat, ExportStatus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_staff = True
    password = factory.django.Password("pass-word-123")


class ExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Export

    created_by = factory.SubFactory(UserFactory)
    format = ExportFormat.CSV
    status = ExportStatus.PENDING
    filters = factory.LazyFunction(dict)
    columns = factory.LazyFunction(list)
