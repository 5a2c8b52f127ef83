"""The shape of the code: dependencies point one way and modules stay small.

These walk the source files themselves (with `ast`), so a new module is
checked the day it is added.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("leads", "exports", "api", "dashboard", "ingest", "outreach", "rules")
ABOVE_LEADS = ("exports", "api", "dashboard", "ingest", "outreach", "rules")
MAX_LINES = 400
LARGE_LINES = 300
MAX_LARGE_MODULES = 3
# A module is data (a table of demo content, say) when most of its lines are top-level assignments.
DATA_SHARE = 0.75


def modules(app: str) -> list[Path]:
    return sorted(path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.relative_to(ROOT).parts)


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function (a lazy import is still a dependency)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return names


def is_data_module(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    lines = len(path.read_text().splitlines()) or 1
    assigned = sum(
        node.end_lineno - node.lineno + 1 for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
    )
    return assigned / lines >= DATA_SHARE


def line_count(path: Path) -> int:
    return len(path.read_text().splitlines())


def test_the_import_walker_sees_lazy_and_dotted_imports(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "import exports.models\n"
        "from leads import models\n"
        "def f():\n"
        "    from api.views import x\n"
        "    importlib.import_module('dashboard.context')\n"
    )
    assert {"exports.models", "leads", "leads.models", "api.views", "dashboard.context"} <= imported_modules(module)


def test_leads_imports_nothing_above_it_except_where_its_admin_wires_exports_in():
    offending = []
    for path in modules("leads"):
        relative = path.relative_to(ROOT)
        if relative.parts[:2] == ("leads", "admin"):
            continue  # the lead admin wires the export actions in
        for name in sorted(imported_modules(path)):
            if name.split(".")[0] in ABOVE_LEADS:
                offending.append(f"{relative} imports {name}")
    assert not offending, "\n".join(offending)


def test_exports_and_api_do_not_import_the_dashboard():
    offending = [
        f"{path.relative_to(ROOT)} imports {name}"
        for app in ("exports", "api")
        for path in modules(app)
        for name in sorted(imported_modules(path))
        if name.split(".")[0] == "dashboard"
    ]
    assert not offending, "\n".join(offending)


def test_modules_stay_small():
    sizes = {
        str(path.relative_to(ROOT)): line_count(path)
        for app in APPS
        for path in modules(app)
        if not is_data_module(path)
    }
    too_big = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    large = {name: lines for name, lines in sizes.items() if lines > LARGE_LINES}

    problems = []
    if too_big:
        problems.append(f"modules over {MAX_LINES} lines: {too_big}")
    if len(large) > MAX_LARGE_MODULES:
        problems.append(f"more than {MAX_LARGE_MODULES} modules over {LARGE_LINES} lines: {large}")
    assert not problems, "; ".join(problems)


def test_demo_content_counts_as_data_and_code_does_not():
    assert is_data_module(ROOT / "leads" / "demo_data" / "content.py")
    assert not is_data_module(ROOT / "leads" / "querysets.py")
    assert not is_data_module(ROOT / "exports" / "formats" / "sheetml" / "cells.py")


CONF_PREFIXES = ("EXPORT_", "QUICK_EXPORT_LIMIT", "LEAD_IMPORT_", "LEAD_INGEST_", "OUTREACH_", "AB_TEST_")
CONF_MODULES = {Path("exports/conf.py"), Path("leads/conf.py"), Path("ingest/conf.py"), Path("outreach/conf.py")}


def settings_reads(path: Path) -> list[str]:
    """`settings.EXPORT_…` attributes and `getattr(settings, "EXPORT_…")` calls in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "settings":
            name = node.attr
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "getattr"
            and len(node.args) >= 2
            and getattr(node.args[0], "id", None) == "settings"
            and isinstance(node.args[1], ast.Constant)
        ):
            name = node.args[1].value
        else:
            continue
        if name.startswith(CONF_PREFIXES):
            found.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{node.lineno} reads {name}")
    return found


def test_export_and_import_settings_are_read_through_conf_only(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "a = settings.QUICK_EXPORT_LIMIT\nb = getattr(settings, 'EXPORT_MAX_RECORDS', 3)\nc = settings.DEBUG\n"
    )
    assert len(settings_reads(sample)) == 2

    offending = [
        read
        for app in APPS
        for path in modules(app)
        if path.relative_to(ROOT) not in CONF_MODULES
        for read in settings_reads(path)
    ]
    assert not offending, "\n".join(offending)
