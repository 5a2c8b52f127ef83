"""Daily lead rollups: what the dashboard and the analytics API read instead of every lead.

Public services (keyword-only):
    rollups_refresh(rebuild=False)  recompute what changed since the last refresh (everything
                                    when `rebuild`, never built, or TIME_ZONE changed)
    rollups_current()               refresh if needed, then True; False where rollups are
                                    unsupported (databases other than PostgreSQL and SQLite)

Writers need not call anything: triggers on the lead table mark what changed
(leads.rollups.triggers) and readers refresh before answering, so figures are
always those of the committed leads. A bulk writer may call rollups_refresh()
after committing, so the next reader does not pay for the refresh.
"""

__all__ = ["RefreshResult", "rollups_current", "rollups_refresh", "rollups_supported"]


def __getattr__(name: str):
    # Imported on first use: leads.models imports this package's models while it loads.
    if name in __all__:
        from leads.rollups import refresh

        return getattr(refresh, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
