"""The regency's upload package at size: time and peak memory of the process that builds it.

Two sizes, as issue 10 asks: 200 innovations with 5 evidence files of 2 MB each (2 GB of
evidence), and 10 innovations with 5 files of 20 MB each (1 GB). For each, one process seeds a
SQLite database and the evidence files (hard links of one file of random bytes, so the disk
holds it once), then a fresh process plans and streams the package the way the web request
does (package.plan -> members -> stream, handed out through package.as_async on an event
loop) and throws the bytes away while counting them. Printed: the ZIP's size, the time, and
the peak RSS (VmHWM) of the packaging process, with its RSS before packaging for reference.
Target: peak RSS under 200 MB and about the same for both sizes.

    .venv/bin/python bench/package.py
"""

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup  # noqa: E402

SIZES = [(200, 5, 2), (10, 5, 20)]  # innovations, files each, MB per file


def vm(field: str) -> int:
    """A /proc/self/status figure in KiB (VmRSS now, VmHWM the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def seed(innovations: int, files: int, megabytes: int) -> None:
    _setup.django_setup(media_root=os.environ["BENCH_MEDIA"])
    from django.conf import settings

    from mentoring.models import EvidenceItem, Indicator, Innovation, Stage, Unit, Urusan
    from tests.factories import Org, complete_profile

    org = Org(year=2026)
    profile = complete_profile(2026)
    priorities = profile.pop("priorities")
    urusan = Urusan.objects.get(code="kesehatan")
    units = [
        org.unit,
        *(
            Unit.objects.create(code=f"bench-unit-{n}", name=f"Dinas Bench {n}", kind="dinas")
            for n in range(9)
        ),
    ]
    cases = Innovation.objects.bulk_create(
        Innovation(
            unit=units[n % len(units)],
            year=2026,
            name=f"Inovasi Paket {n}",
            bentuk="pelayanan_publik",
            jenis="digital",
            inisiator="asn",
            main_urusan=urusan,
            stage=Stage.REPORTING,
            awaiting="opd",
            created_by=org.operator,
            **profile,
        )
        for n in range(innovations)
    )
    for case in cases:
        case.priorities.set(priorities)
    original = Path(settings.MEDIA_ROOT) / "bench-original.pdf"
    original.parent.mkdir(parents=True, exist_ok=True)
    with original.open("wb") as out:
        out.write(b"%PDF-1.4\n")
        for _ in range(megabytes):
            out.write(os.urandom(1024 * 1024))
    indicators = list(Indicator.objects.filter(year=2026).order_by("-mandatory", "number"))[:files]
    items = []
    for case in cases:
        folder = Path(settings.MEDIA_ROOT) / "cases" / "2026" / str(case.pk)
        folder.mkdir(parents=True, exist_ok=True)
        for indicator in indicators:
            name = f"cases/2026/{case.pk}/bukti-{indicator.number}.pdf"
            os.link(original, Path(settings.MEDIA_ROOT) / name)
            items.append(
                EvidenceItem(
                    innovation=case,
                    indicator=indicator,
                    parameter=2,
                    file=name,
                    original_name=f"bukti-{indicator.number}.pdf",
                    content_type="application/pdf",
                    size=original.stat().st_size,
                    uploaded_by=org.operator,
                    review=EvidenceItem.Review.VALID,
                    verified_parameter=2,
                )
            )
    EvidenceItem.objects.bulk_create(items)


def build() -> None:
    _setup.django_setup(media_root=os.environ["BENCH_MEDIA"])
    from django.contrib.auth.models import User

    from core.http import as_async
    from submission import package, selectors

    admin = User.objects.filter(groups__name="admin").first()
    before = vm("VmRSS")
    start = time.perf_counter()
    cases = selectors.package_cases(user=admin, year=2026)
    blocks = package.stream(package.members(package.plan(cases)))

    async def drain() -> int:
        # The web request's way: core.http.streamed hands the blocks to the ASGI server so.
        return sum([len(block) async for block in as_async(blocks)])

    size = asyncio.run(drain())
    elapsed = time.perf_counter() - start
    print(
        f"{os.environ['BENCH_LABEL']:<28} cases {len(cases):>4}  zip {size / 1e9:5.2f} GB  "
        f"time {elapsed:6.1f} s  peak RSS {vm('VmHWM') / 1024:6.1f} MiB  "
        f"(RSS before packaging {before / 1024:5.1f} MiB)"
    )


def main() -> None:
    for innovations, files, megabytes in SIZES:
        work = Path(tempfile.mkdtemp(prefix="bench-package-"))
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
            "BENCH_MEDIA": str(work / "media"),
            "BENCH_LABEL": f"{innovations} x {files} x {megabytes} MB",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        }
        args = [str(innovations), str(files), str(megabytes)]
        subprocess.run([sys.executable, __file__, "--seed", *args], env=env, check=True)
        subprocess.run([sys.executable, __file__, "--build"], env=env, check=True)
        subprocess.run(["rm", "-rf", str(work)], check=True)


if __name__ == "__main__":
    if "--seed" in sys.argv:
        seed(*(int(a) for a in sys.argv[2:5]))
    elif "--build" in sys.argv:
        build()
    else:
        main()
