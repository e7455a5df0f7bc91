"""`manage.py import_people FILE.csv`: load people, their roles, units and mentor assignments."""

from collections.abc import Callable

from mentoring import imports
from mentoring.management.commands.import_units import ImportCommand


class Command(ImportCommand):
    help = (
        "Import people from CSV (username, full_name, email, roles, unit, position, "
        "mentor_units, year, lead, password); all rows or none."
    )
    noun = "pengguna"

    def importer(self) -> Callable[..., imports.ImportReport]:
        return imports.import_people
