"""GIN index for the innovation text search, on PostgreSQL only (SQLite searches by substring).

The expression is exactly the one Django emits for mentoring.selectors.innovation_search_vector(),
so the planner uses the index for `search_vector @@ query`; tests/reports/test_search.py checks
that on PostgreSQL with EXPLAIN.
"""

from django.db import migrations

INDEX = "mentoring_innovation_search_gin"


def _vector(prefix: str = "") -> str:
    """((((a || b) || c) || d) || e) || f: the nesting Django gives `SearchVector + ...`
    (`prefix`: "NEW." inside the trigger of migration 0005)."""
    parts = []
    for config in ("indonesian", "simple"):
        for weight, fields in (
            ("A", ("name",)),
            ("B", ("tujuan", "manfaat", "hasil")),
            ("C", ("rancang_bangun",)),
        ):
            text = " || ' ' || ".join(f"COALESCE({prefix}{name}, '')" for name in fields)
            parts.append(f"setweight(to_tsvector('{config}'::regconfig, {text}), '{weight}')")
    vector = parts[0]
    for part in parts[1:]:
        vector = f"({vector} || {part})"
    return vector


VECTOR = _vector()


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON mentoring_innovation USING gin ({VECTOR})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0003_evidence_verified_parameter")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
