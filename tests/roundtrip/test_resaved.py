"""An update-ready workbook opened and saved again by LibreOffice re-imports to the stored text.

(LibreOffice turns carriage returns into line feeds in cells that hold line breaks, see
tests/exports/formats/test_readers.py; the comparison allows that and nothing else. Cells the
workbook could not hold whole are left out: the import refuses them, tests/roundtrip/test_lossless.py.)
"""

import pytest

from exports.formats.sheetml import fit_text
from leads.imports import lead_import
from leads.models import Lead
from tests.exports.factories import ExportFactory, export_write_bytes
from tests.exports.formats.readers import libreoffice_resave
from tests.exports.formats.test_readers import libreoffice_workbook_lines
from tests.factories import LeadFactory
from tests.roundtrip.corpus import CORPUS

pytestmark = [pytest.mark.django_db, pytest.mark.readers]
FIELDS = ("title", "description", "contact_name")


def test_a_workbook_saved_again_by_libreoffice_re_imports_to_the_stored_text(tmp_path):
    # LibreOffice reads "_x005F_" as "_" but writes a literal "_x005F_" unescaped: its own file then reads
    # back otherwise, in LibreOffice too. Every other text of the corpus must come back.
    whole = {name: text for name, text in CORPUS.items() if fit_text(text)[1] is None and "_x005F_" not in text}
    leads = {name: LeadFactory(title=text, description=text, contact_name=text) for name, text in whole.items()}
    path = tmp_path / "update.xlsx"
    path.write_bytes(
        export_write_bytes(ExportFactory(format="excel", include_contact_info=True, options={"update_ready": True}))
    )
    saved = libreoffice_resave(path, workdir=tmp_path)
    Lead.objects.update(**dict.fromkeys(FIELDS, "changed since the export"))

    result = lead_import(file_path_or_bytes=saved, format="xlsx")

    assert result.errors == ()
    for name, lead in leads.items():
        lead.refresh_from_db()
        for field in FIELDS:
            assert getattr(lead, field) == libreoffice_workbook_lines(whole[name]), (name, field)
