"""The COPY path neutralises exactly as leads.cell_safety does: its SQL pattern is generated from
the same definition, and PostgreSQL and Python agree on every text (Hypothesis) and on the hostile corpus."""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from leads.cell_safety import needs_quote, postgres_pattern
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.factories import LeadFactory
from tests.roundtrip.corpus import CORPUS

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# PostgreSQL text holds anything but NUL and lone surrogates.
STORABLE = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")


def postgres_needs_quote(text: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s ~ %s", [text, postgres_pattern()])
        return cursor.fetchone()[0]


@given(text=STORABLE)
def test_postgresql_and_python_agree_on_every_text(postgres, text):
    assert postgres_needs_quote(text) == needs_quote(text)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_postgresql_and_python_agree_on_the_corpus(postgres, name):
    assert postgres_needs_quote(CORPUS[name]) == needs_quote(CORPUS[name])


def test_copy_writes_the_hostile_corpus_byte_for_byte_as_the_portable_path(postgres, settings):
    for text in CORPUS.values():
        LeadFactory(title=text[:300], description=text, contact_name=text[:200])
    export = ExportFactory(format="csv", columns=["id", "title", "description", "contact_name", "status"])
    files = []
    for use_copy in (False, True):
        settings.EXPORT_CSV_COPY = use_copy
        files.append(export_write_bytes(export))
    assert files[0] == files[1]
    assert b"'\xe2\x80\x8b=1+1" in files[0]  # the zero-width space before "=" did not hide it
