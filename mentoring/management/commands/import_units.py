"""`manage.py import_units FILE.csv`: load organisation units (columns code, name, kind)."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentoring import imports


class ImportCommand(BaseCommand):
    """Shared shape of the CSV import commands: read, validate all, write all or nothing."""

    noun = ""

    def importer(self) -> Callable[..., imports.ImportReport]:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file (UTF-8, delimiter ';' or ',')")
        parser.add_argument("--dry-run", action="store_true", help="only validate; write nothing")

    def handle(self, *args, file: str, dry_run: bool, **options) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas '{file}' tidak dapat dibaca: {exc.strerror}.") from exc
        report = self.importer()(data=data, dry_run=dry_run)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Impor {self.noun} dibatalkan: {len(report.errors)} kesalahan di {path.name}. "
                "Tidak ada data yang disimpan; perbaiki berkas lalu ulangi."
            )
        if dry_run:
            self.stdout.write(
                f"{path.name}: semua baris valid (uji coba, tidak ada yang disimpan)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Impor {self.noun} selesai: {report.created} baru, {report.updated} diperbarui."
            )
        )


class Command(ImportCommand):
    help = "Import organisation units from CSV (code, name, kind); all rows or none."
    noun = "unit"

    def importer(self) -> Callable[..., imports.ImportReport]:
        return imports.import_units
