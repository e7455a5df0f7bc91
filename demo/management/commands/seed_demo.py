"""`manage.py seed_demo [--if-empty] [--password demo12345] [--innovations 150]`: demo data."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import seed as demo
from mentoring.models import Unit


class Command(BaseCommand):
    help = (
        "Create Kukar-like demo data: units, people, mentor assignments and innovation cases "
        "driven through the real workflow services."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when any unit exists (safe to run on every start)",
        )
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help="password of every demo login (default: %(default)s)",
        )
        parser.add_argument(
            "--innovations",
            type=int,
            default=demo.DEFAULT_INNOVATIONS,
            help="number of innovation cases (default: %(default)s)",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="random seed (default: %(default)s)"
        )

    def handle(
        self, *args, if_empty: bool, password: str, innovations: int, seed: int, **options
    ) -> None:
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("Data sudah ada; data demo tidak dibuat.")
                return
            raise CommandError(
                "Basis data sudah berisi unit; data demo hanya dibuat di basis data kosong."
            )
        if not 0 <= innovations <= demo.capacity():
            raise CommandError(f"--innovations harus antara 0 dan {demo.capacity()}.")
        if len(password) < 8:
            raise CommandError("--password minimal 8 karakter.")
        summary = demo.seed(innovations=innovations, password=password, seed=seed)
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Masuk sebagai admin, mentor1, verifikator1, kepala.dinkes, operator.dinkes "
                f"atau bupati dengan kata sandi '{password}'."
            )
        )
