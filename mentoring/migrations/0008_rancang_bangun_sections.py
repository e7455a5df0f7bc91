"""The rancang bangun becomes the national form's six sections (0009 then drops the old column,
in a transaction of its own: PostgreSQL refuses to alter a table with pending trigger events).

Each paragraph of the old text that starts with a section's title ("Dasar hukum. ...") goes to
that section; text under no known title goes to "permasalahan". On PostgreSQL the search
vector's trigger (0006) now reads the sections and "perkembangan" instead of the old column.
"""

import importlib
import re

from django.db import migrations

search = importlib.import_module("mentoring.migrations.0006_innovation_search_vector_field")

SECTIONS = (
    "dasar_hukum",
    "permasalahan",
    "isu_strategis",
    "metode_pembaharuan",
    "keunggulan",
    "tahapan_penggunaan",
)
TITLES = {
    "dasar hukum": "dasar_hukum",
    "permasalahan": "permasalahan",
    "isu strategis": "isu_strategis",
    "metode pembaharuan": "metode_pembaharuan",
    "keunggulan dan kebaharuan": "keunggulan",
    "keunggulan/kebaharuan": "keunggulan",
    "keunggulan": "keunggulan",
    "tahapan penggunaan": "tahapan_penggunaan",
}
HEADING = re.compile(
    r"^\s*(" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r")\s*[.:\n]",
    re.IGNORECASE,
)
UNTITLED = "permasalahan"


def split(text: str) -> dict[str, str]:
    parts: dict[str, list[str]] = {name: [] for name in SECTIONS}
    for paragraph in re.split(r"\n\s*\n", text or ""):
        if not paragraph.strip():
            continue
        found = HEADING.match(paragraph)
        if found:
            parts[TITLES[found.group(1).lower()]].append(paragraph[found.end() :].strip())
        else:
            parts[UNTITLED].append(paragraph.strip())
    return {name: "\n\n".join(texts) for name, texts in parts.items()}


def to_sections(apps, schema_editor):
    Innovation = apps.get_model("mentoring", "Innovation")
    for innovation in Innovation.objects.exclude(rancang_bangun="").only("pk", "rancang_bangun"):
        Innovation.objects.filter(pk=innovation.pk).update(**split(innovation.rancang_bangun))


def to_text(apps, schema_editor):
    Innovation = apps.get_model("mentoring", "Innovation")
    for innovation in Innovation.objects.all().only("pk", *SECTIONS):
        titled = [
            f"{title.capitalize()}. {getattr(innovation, name).strip()}"
            for title, name in (
                ("dasar hukum", "dasar_hukum"),
                ("permasalahan", "permasalahan"),
                ("isu strategis", "isu_strategis"),
                ("metode pembaharuan", "metode_pembaharuan"),
                ("keunggulan dan kebaharuan", "keunggulan"),
                ("tahapan penggunaan", "tahapan_penggunaan"),
            )
            if getattr(innovation, name).strip()
        ]
        Innovation.objects.filter(pk=innovation.pk).update(rancang_bangun="\n\n".join(titled))


def _vector(prefix: str) -> str:
    """name (A); tujuan, manfaat, hasil, perkembangan (B); the six sections (C); in both the
    Indonesian and the 'simple' configuration, as mentoring.selectors searches them."""
    weighted = (
        ("A", ("name",)),
        ("B", ("tujuan", "manfaat", "hasil", "perkembangan")),
        ("C", SECTIONS),
    )
    parts = []
    for config in ("indonesian", "simple"):
        for weight, fields in weighted:
            text = " || ' ' || ".join(f"COALESCE({prefix}{name}, '')" for name in fields)
            parts.append(f"setweight(to_tsvector('{config}'::regconfig, {text}), '{weight}')")
    return " || ".join(parts)


TEXT_COLUMNS = ("name", "tujuan", "manfaat", "hasil", "perkembangan", *SECTIONS)
TEXT_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in TEXT_COLUMNS)

READ_SECTIONS = f"""
CREATE OR REPLACE FUNCTION mentoring_innovation_search_vector() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.search_vector IS NULL OR {TEXT_CHANGED} THEN
        NEW.search_vector := {_vector("NEW.")};
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
UPDATE mentoring_innovation SET search_vector = {_vector("")};
"""


def read_sections(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(READ_SECTIONS)


def read_old_text(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(search.REMOVE)
        schema_editor.execute(search.INSTALL)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0007_national_rules_and_profile")]

    operations = [
        migrations.RunPython(to_sections, to_text, elidable=False),
        migrations.RunPython(read_sections, read_old_text, elidable=False),
    ]
