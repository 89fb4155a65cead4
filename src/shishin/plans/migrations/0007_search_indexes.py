"""Indexes for substring search in Japanese: FTS5 with the trigram tokenizer on SQLite, pg_trgm on PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE plans_item_fts USING fts5(text, content='plans_item', content_rowid='id', tokenize='trigram')",
    "INSERT INTO plans_item_fts(rowid, text) SELECT id, text FROM plans_item",
    "CREATE TRIGGER plans_item_fts_insert AFTER INSERT ON plans_item BEGIN "
    "INSERT INTO plans_item_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER plans_item_fts_delete AFTER DELETE ON plans_item BEGIN "
    "INSERT INTO plans_item_fts(plans_item_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER plans_item_fts_update AFTER UPDATE OF text ON plans_item BEGIN "
    "INSERT INTO plans_item_fts(plans_item_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO plans_item_fts(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER plans_item_fts_update",
    "DROP TRIGGER plans_item_fts_delete",
    "DROP TRIGGER plans_item_fts_insert",
    "DROP TABLE plans_item_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX plans_item_text_trgm ON plans_item USING gin (text gin_trgm_ops)",
    "CREATE INDEX plans_measure_text_trgm ON plans_measure USING gin ((title || ' ' || description) gin_trgm_ops)",
]
POSTGRES_REVERSE = ["DROP INDEX plans_measure_text_trgm", "DROP INDEX plans_item_text_trgm"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_collection")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
