"""The search side table on PostgreSQL: created, filled, indexed, and kept in step by triggers.

Statement-level triggers with transition tables, as for the rollups (leads.rollups.triggers): one
INSERT, UPDATE or DELETE of the side table per statement on the leads, however many rows it
touched. The update trigger writes only the leads whose searched texts changed, so an update of
other columns (a status, an owner) costs a join of the statement's rows and writes nothing. Every
write path is covered: the ORM, bulk_create, update(), COPY, raw SQL, deletions and TRUNCATE.
"""

from leads.search.models import SEARCHED_COLUMNS, TRIGRAM_COLUMNS, LeadSearchText

LEAD = "leads_lead"
SEARCH = LeadSearchText._meta.db_table
_COLUMNS = ", ".join(SEARCHED_COLUMNS)
_CHANGED = " OR ".join(f"old_rows.{column} IS DISTINCT FROM new_rows.{column}" for column in SEARCHED_COLUMNS)
_SET = ", ".join(f"{column} = new_rows.{column}" for column in SEARCHED_COLUMNS)


def index_name(column: str) -> str:
    return f"leadsearch_{column}_trgm_idx"


TABLE = f"""
CREATE TABLE {SEARCH} (
    lead_id bigint PRIMARY KEY,
    {", ".join(f"{column} text NOT NULL" for column in SEARCHED_COLUMNS)}
)
"""
FILL = f"INSERT INTO {SEARCH} (lead_id, {_COLUMNS}) SELECT id, {_COLUMNS} FROM {LEAD}"
# What the filters compile to: UPPER(column) LIKE '%WORD%' (icontains) and UPPER(source_post_id) = 'WORD'.
INDEXES = [
    f"CREATE INDEX {index_name(column)} ON {SEARCH} USING gin (UPPER({column}) gin_trgm_ops)"
    for column in TRIGRAM_COLUMNS
] + [f"CREATE INDEX leadsearch_post_id_upper_idx ON {SEARCH} (UPPER(source_post_id))"]

TRIGGERS = [
    f"""
    CREATE FUNCTION leads_search_text_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {SEARCH} (lead_id, {_COLUMNS}) SELECT id, {_COLUMNS} FROM new_rows;
        RETURN NULL;
    END $$;
    """,
    f"""
    CREATE FUNCTION leads_search_text_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {SEARCH} AS search SET {_SET}
        FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id
        WHERE search.lead_id = new_rows.id AND ({_CHANGED});
        RETURN NULL;
    END $$;
    """,
    f"""
    CREATE FUNCTION leads_search_text_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {SEARCH} AS search USING old_rows WHERE search.lead_id = old_rows.id;
        RETURN NULL;
    END $$;
    """,
    f"""
    CREATE FUNCTION leads_search_text_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN TRUNCATE {SEARCH}; RETURN NULL; END $$;
    """,
    f"""CREATE TRIGGER leads_search_after_insert AFTER INSERT ON {LEAD}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_search_text_insert()""",
    f"""CREATE TRIGGER leads_search_after_update AFTER UPDATE ON {LEAD}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION leads_search_text_update()""",
    f"""CREATE TRIGGER leads_search_after_delete AFTER DELETE ON {LEAD}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_search_text_delete()""",
    f"""CREATE TRIGGER leads_search_after_truncate AFTER TRUNCATE ON {LEAD}
    FOR EACH STATEMENT EXECUTE FUNCTION leads_search_text_truncate()""",
]
UNINSTALL = [
    *(
        f"DROP TRIGGER IF EXISTS leads_search_after_{event} ON {LEAD}"
        for event in ("insert", "update", "delete", "truncate")
    ),
    *(f"DROP FUNCTION IF EXISTS leads_search_text_{event}()" for event in ("insert", "update", "delete", "truncate")),
    f"DROP TABLE IF EXISTS {SEARCH}",
]


def search_text_install(schema_editor) -> None:
    """Create, fill and index the side table and its triggers (PostgreSQL; other databases get nothing).

    The table is filled before its indexes are built (building an index once is far cheaper than
    adding the rows to it one by one) and in the same transaction as the triggers, which lock the
    leads against writes meanwhile: no lead is missed.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for statement in [TABLE, *TRIGGERS, FILL]:
        schema_editor.execute(statement)
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for statement in INDEXES:
        schema_editor.execute(statement)
    schema_editor.execute(f"ANALYZE {SEARCH}")


def search_text_uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in UNINSTALL:
        schema_editor.execute(statement)
