"""The text-search vector becomes a declared model field (`Innovation.search_vector`).

0005 added the column in SQL only, on PostgreSQL. Here the column is dropped (with its trigger
and index) and added back by Django on every database; on PostgreSQL a trigger then keeps it
(recomputed when a text column changes or the vector is empty, never on stage moves) and a GIN
index serves the search.
"""

import importlib

import django.contrib.postgres.search
from django.db import migrations

previous = importlib.import_module("mentoring.migrations.0005_innovation_search_column")
INDEX = previous.INDEX
TEXT_CHANGED = previous.TEXT_CHANGED

INSTALL = f"""
CREATE FUNCTION mentoring_innovation_search_vector() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.search_vector IS NULL OR {TEXT_CHANGED} THEN
        NEW.search_vector := {previous.previous._vector("NEW.")};
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER mentoring_innovation_search_vector
    BEFORE INSERT OR UPDATE ON mentoring_innovation
    FOR EACH ROW EXECUTE FUNCTION mentoring_innovation_search_vector();
UPDATE mentoring_innovation SET search_vector = {previous.previous.VECTOR};
CREATE INDEX {INDEX} ON mentoring_innovation USING gin (search_vector);
"""

REMOVE = f"""
DROP INDEX IF EXISTS {INDEX};
DROP TRIGGER IF EXISTS mentoring_innovation_search_vector ON mentoring_innovation;
DROP FUNCTION IF EXISTS mentoring_innovation_search_vector();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def drop_sql_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE)
        schema_editor.execute("ALTER TABLE mentoring_innovation DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0005_innovation_search_column")]

    operations = [
        migrations.RunPython(drop_sql_column, previous.forward, elidable=False),
        migrations.AddField(
            model_name="innovation",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_on_postgresql(INSTALL), _on_postgresql(REMOVE), elidable=False),
    ]
