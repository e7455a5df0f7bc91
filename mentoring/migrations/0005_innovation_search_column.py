"""The text-search vector as a column kept by a trigger, on PostgreSQL only.

The expression index of 0004 recomputed to_tsvector over every text field (twice: indonesian
and simple) on each update of a case row, stage moves included, since they change indexed
columns (~2 ms per action on a packaged innovation). The trigger recomputes the vector only
when a text column changes; the GIN index is on the stored column.
"""

import importlib

from django.db import migrations

previous = importlib.import_module("mentoring.migrations.0004_innovation_search_index")
INDEX = previous.INDEX
TEXT_COLUMNS = ("name", "tujuan", "manfaat", "hasil", "rancang_bangun")
# Compared in the function body, not listed in `UPDATE OF`: a trigger's column list would stop
# any later ALTER COLUMN ... TYPE on those columns.
TEXT_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in TEXT_COLUMNS)

FORWARD = f"""
ALTER TABLE mentoring_innovation ADD COLUMN search_vector tsvector;
CREATE FUNCTION mentoring_innovation_search_vector() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR {TEXT_CHANGED} THEN
        NEW.search_vector := {previous._vector("NEW.")};
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER mentoring_innovation_search_vector
    BEFORE INSERT OR UPDATE ON mentoring_innovation
    FOR EACH ROW EXECUTE FUNCTION mentoring_innovation_search_vector();
UPDATE mentoring_innovation SET search_vector = {previous.VECTOR};
DROP INDEX IF EXISTS {INDEX};
CREATE INDEX {INDEX} ON mentoring_innovation USING gin (search_vector);
"""

BACKWARD = f"""
DROP INDEX IF EXISTS {INDEX};
DROP TRIGGER IF EXISTS mentoring_innovation_search_vector ON mentoring_innovation;
DROP FUNCTION IF EXISTS mentoring_innovation_search_vector();
ALTER TABLE mentoring_innovation DROP COLUMN IF EXISTS search_vector;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)
        previous.create_index(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0004_innovation_search_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
