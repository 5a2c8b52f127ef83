import csv, io, time, pytest
from leads.imports import lead_import
from leads.resources import LeadResource
from tests.factories import CategoryFactory, LocationFactory
pytestmark = pytest.mark.django_db
def test_speed():
    LocationFactory(site_code="sfbay"); CategoryFactory(code="sss")
    out = io.StringIO(); w = csv.writer(out)
    w.writerow(["id","source_post_id","location","category","url","title","description","price","status","contact_name","email","phone","posted_at","scraped_at"])
    for n in range(5000):
        w.writerow(["", str(9000000+n), "sfbay", "sss", f"https://sfbay.craigslist.org/{n}.html", f"Title {n}", "A description "*5, "120.50", "new", "Pat", f"p{n}@example.com", "415-555-0100", "2026-03-01T10:00:00-08:00", "2026-03-02T10:00:00-08:00"])
    data = out.getvalue().encode()
    for label in ("create", "reimport-unchanged", "dry-run"):
        t = time.monotonic(); r = lead_import(file_path_or_bytes=data, format="csv", dry_run=label=="dry-run"); d = time.monotonic()-t
        print(f"\n{label}: {r.rows} rows new={r.new} upd={r.updated} skip={r.skipped} {d:.2f}s {r.rows/d:.0f} rows/s")
