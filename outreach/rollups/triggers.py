"""Database triggers that mark every lead whose messages changed, for the message rollups.

They record the message's lead id (the old and the new one when a message moves to
another lead) in `MessageRollupDirty`; readers turn those ids into the lead rollups'
dirty keys (outreach.rollups.refresh), and the lead refresh then recomputes those
ranges for the leads and the messages. The triggers name no other table than the
marks': SQLite checks every trigger when a migration remakes a table, and a trigger
naming the lead table would break each later migration that remakes it. Lead changes
need no trigger here: the lead triggers already mark every change of a column the
message rollups slice by.

Only changes to the columns the rollups count mark a lead. PostgreSQL uses
statement-level triggers with transition tables; SQLite row triggers skip leads
already marked.
"""

from leads.rollups.triggers import (
    postgresql_statement_triggers,
    sqlite_row_triggers,
    sqlite_triggers_reinstall,
    statements_run,
)

MESSAGE = "outreach_autoresponse"
MARKS = "outreach_messagerollupdirty"
ROLLUP = "outreach_messagedailyrollup"
TOTAL = "outreach_messagetotalrollup"
COUNTED = (
    "lead_id",
    "template_id",
    "variant_id",
    "ab_test_id",
    "status",
    "queued_at",
    "sent_at",
    "delivered_at",
    "replied_at",
    "lead_status_at_queue",
)

_PG_MARK = f"""
    INSERT INTO {MARKS} (lead_id)
    SELECT DISTINCT rows.lead_id FROM {{source}} AS rows
    WHERE NOT EXISTS (SELECT 1 FROM {MARKS} AS marks WHERE marks.lead_id = rows.lead_id);
"""
_PG_CHANGED = " OR ".join(f"old_rows.{column} IS DISTINCT FROM new_rows.{column}" for column in COUNTED)
_PG_CHANGED_LEADS = (
    f"(SELECT old_rows.lead_id FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id WHERE {_PG_CHANGED} "
    f"UNION SELECT new_rows.lead_id FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id WHERE {_PG_CHANGED})"
)

POSTGRESQL_INSTALL, POSTGRESQL_UNINSTALL = postgresql_statement_triggers(
    prefix="outreach",
    table=MESSAGE,
    mark_new=_PG_MARK.format(source="new_rows"),
    mark_old=_PG_MARK.format(source="old_rows"),
    mark_changed=_PG_MARK.format(source=_PG_CHANGED_LEADS),
    truncated=f"DELETE FROM {ROLLUP}; DELETE FROM {TOTAL}; DELETE FROM {MARKS};",
)


def _sqlite_mark(row: str) -> str:
    return f"""
    INSERT INTO {MARKS} (lead_id) SELECT {row}.lead_id
    WHERE NOT EXISTS (SELECT 1 FROM {MARKS} WHERE lead_id = {row}.lead_id);"""


SQLITE_INSTALL, SQLITE_UNINSTALL = sqlite_row_triggers(
    prefix="outreach", table=MESSAGE, counted=COUNTED, mark=_sqlite_mark
)


def triggers_install(schema_editor) -> None:
    """Create the triggers on the connection's database (PostgreSQL or SQLite; others get none)."""
    statements_run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def triggers_uninstall(schema_editor) -> None:
    statements_run(schema_editor, {"postgresql": POSTGRESQL_UNINSTALL, "sqlite": SQLITE_UNINSTALL})


def triggers_reinstall_after_migrate(*, using: str, **kwargs) -> None:
    """Put the triggers back after `migrate`: SQLite drops them when a migration remakes the message table."""
    sqlite_triggers_reinstall(using, table=MARKS, install=triggers_install, uninstall=triggers_uninstall)
