import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from mentoring.imports import import_people, import_units
from mentoring.models import Membership, MentorAssignment, Unit

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
PEOPLE_HEADER = "username,full_name,email,roles,unit,position,mentor_units,year,lead,password\n"


def run(command: str, tmp_path: Path, content: str | bytes) -> tuple[str, str]:
    path = tmp_path / "data.csv"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    call_command(command, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(command: str, tmp_path: Path, content: str | bytes) -> str:
    """Run an import that must be refused; return its error report."""
    path = tmp_path / "data.csv"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Tidak ada data yang disimpan"):
        call_command(command, str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def snapshot() -> tuple[int, ...]:
    return (
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        MentorAssignment.objects.count(),
    )


@pytest.fixture
def units(db):
    for code, kind in (("dinkes", "dinas"), ("kec-tenggarong", "kecamatan"), ("rsud", "rsud")):
        Unit.objects.create(code=code, name=code.title(), kind=kind)


# --- units ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_units_sample_file_imports_then_upserts():
    out = io.StringIO()
    call_command("import_units", str(SAMPLES / "units.csv"), stdout=out)
    assert "6 baru, 0 diperbarui" in out.getvalue()
    assert Unit.objects.get(code="rsud-amp").kind == "rsud"

    Unit.objects.filter(code="dinkes").update(name="Nama Lama")
    out = io.StringIO()
    call_command("import_units", str(SAMPLES / "units.csv"), stdout=out)
    assert "0 baru, 6 diperbarui" in out.getvalue()
    assert Unit.objects.get(code="dinkes").name == "Dinas Kesehatan"
    assert Unit.objects.count() == 6


@pytest.mark.django_db
def test_units_bom_and_semicolon_delimiter(tmp_path):
    content = (
        "\ufeffcode;name;kind\n"
        "dinkes;Dinas Kesehatan, Kukar;dinas\n"
        "setda;Sekretariat Daerah;SEKRETARIAT\n"
    )
    out, _ = run("import_units", tmp_path, content.encode("utf-8"))
    assert "2 baru" in out
    assert Unit.objects.get(code="dinkes").name == "Dinas Kesehatan, Kukar"
    assert Unit.objects.get(code="setda").kind == "sekretariat"


@pytest.mark.django_db
def test_units_comma_file_with_commas_inside_quoted_names(tmp_path):
    content = 'code,name,kind\ndpupr,"Dinas Pekerjaan Umum, Penataan Ruang",dinas\n\n'
    run("import_units", tmp_path, content)
    assert Unit.objects.get(code="dpupr").name == "Dinas Pekerjaan Umum, Penataan Ruang"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("code,name,kind\ndinkes,Dinas Kesehatan,kantor\n", "Baris 2, kolom 'kind'"),
        (
            "code,name,kind\ndinkes,Dinas Kesehatan,dinas\ndinkes,Dinas Lain,dinas\n",
            "Baris 3, kolom 'code': Kode 'dinkes' sudah dipakai di baris 2",
        ),
        ("code,name,kind\n,Dinas Kesehatan,dinas\n", "Baris 2, kolom 'code': Kode wajib diisi"),
        ("code,name,kind\ndin kes,Dinas Kesehatan,dinas\n", "Baris 2, kolom 'code'"),
        ("code,name,kind\ndinkes,,dinas\n", "Baris 2, kolom 'name'"),
        ("code,name\ndinkes,Dinas Kesehatan\n", "Baris 1, kolom 'kind': Kolom wajib tidak ada"),
        ("code,name,kind,jenis\ndinkes,Dinas,dinas,x\n", "Baris 1, kolom 'jenis'"),
        ("code,name,kind\ndinkes,Dinas,dinas,lebih\n", "Baris 2: Baris berisi 4 nilai"),
    ],
)
def test_units_bad_rows_are_reported_and_nothing_is_written(tmp_path, content, expected):
    Unit.objects.create(code="lama", name="Unit Lama", kind="dinas")
    before = snapshot()
    report = run_failing("import_units", tmp_path, content + "baik,Unit Baik,dinas\n")
    assert expected in report
    assert snapshot() == before
    assert not Unit.objects.filter(code="baik").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [("code,name,kind\n", "Berkas tidak berisi baris data"), ("", "Berkas kosong")],
)
def test_units_empty_files_are_refused(tmp_path, content, expected):
    assert expected in run_failing("import_units", tmp_path, content)


@pytest.mark.django_db
def test_units_good_rows_are_not_written_when_a_later_row_is_bad(tmp_path):
    content = "code,name,kind\nsatu,Unit Satu,dinas\ndua,Unit Dua,dinas\ntiga,Unit Tiga,warung\n"
    report = run_failing("import_units", tmp_path, content)
    assert "Baris 4, kolom 'kind': Jenis unit 'warung' tidak dikenal" in report
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_units_non_utf8_file_is_refused(tmp_path):
    content = "code,name,kind\nkel-sengkotek,Kelurahan Séngkotek,kelurahan\n".encode("cp1252")
    report = run_failing("import_units", tmp_path, content)
    assert "UTF-8" in report
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_units_dry_run_validates_without_writing(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("code,name,kind\ndinkes,Dinas Kesehatan,dinas\n")
    out = io.StringIO()
    call_command("import_units", str(path), "--dry-run", stdout=out)
    assert "semua baris valid" in out.getvalue()
    assert Unit.objects.count() == 0


# --- people --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_people_sample_file_imports_roles_units_and_assignments():
    call_command("import_units", str(SAMPLES / "units.csv"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_people", str(SAMPLES / "people.csv"), stdout=out)
    assert "6 baru, 0 diperbarui" in out.getvalue()

    head = User.objects.get(username="kepala.dinkes")
    assert head.get_full_name() == "dr. Martina Yulianti, M.Kes."
    assert list(head.groups.values_list("name", flat=True)) == ["opd_head"]
    assert not head.has_usable_password()
    assert Membership.objects.get(user=head).position == "head"
    assert Membership.objects.get(user__username="operator.dinkes").unit.code == "dinkes"

    mentor1 = MentorAssignment.objects.filter(mentor__username="mentor1", year=2026)
    assert sorted(mentor1.values_list("unit__code", "is_lead")) == [
        ("dinkes", True),
        ("disdukcapil", True),
        ("kec-tenggarong", True),
    ]
    mentor2 = MentorAssignment.objects.filter(mentor__username="mentor2", year=2026)
    assert sorted(mentor2.values_list("unit__code", "is_lead")) == [
        ("bappeda", True),
        ("pkm-tenggarong", False),
        ("rsud-amp", False),
    ]
    assert User.objects.get(username="bupati").groups.get().name == "observer"


@pytest.mark.django_db
def test_people_upsert_updates_and_keeps_existing_password(units, tmp_path):
    content = PEOPLE_HEADER + (
        "kepala.dinkes,Budi Santoso,budi@example.go.id,opd_head,dinkes,head,,,,rahasia-kuat-1\n"
        "mentor1,Awang Ferdian,,mentor,,,dinkes;rsud,2026,yes,\n"
    )
    run("import_people", tmp_path, content)
    assert User.objects.get(username="kepala.dinkes").check_password("rahasia-kuat-1")

    content = PEOPLE_HEADER + (
        "kepala.dinkes,Budi Santoso S.Kep,budi2@example.go.id,opd_head;mentor,dinkes,head,,,,\n"
        "mentor1,Awang Ferdian,,mentor,,,kec-tenggarong,2026,no,\n"
    )
    out, _ = run("import_people", tmp_path, content)
    assert "0 baru, 2 diperbarui" in out
    head = User.objects.get(username="kepala.dinkes")
    assert head.first_name == "Budi Santoso S.Kep"
    assert head.email == "budi2@example.go.id"
    assert head.check_password("rahasia-kuat-1")
    assert set(head.groups.values_list("name", flat=True)) == {"opd_head", "mentor"}
    # That year's assignments are replaced by the file's.
    assert list(
        MentorAssignment.objects.filter(mentor__username="mentor1").values_list(
            "unit__code", "is_lead"
        )
    ) == [("kec-tenggarong", False)]


@pytest.mark.django_db
def test_people_semicolon_file_with_quoted_lists(units, tmp_path):
    content = (
        "\ufeffusername;full_name;email;roles;unit;position;mentor_units;year;lead\n"
        'mentor1;Dayang Nur;;"mentor;verifier";;;"dinkes;rsud";2025;rsud\n'
    )
    run("import_people", tmp_path, content.encode("utf-8"))
    user = User.objects.get(username="mentor1")
    assert set(user.groups.values_list("name", flat=True)) == {"mentor", "verifier"}
    assert sorted(
        MentorAssignment.objects.filter(mentor=user, year=2025).values_list("unit__code", "is_lead")
    ) == [("dinkes", False), ("rsud", True)]


@pytest.mark.django_db
def test_people_heads_may_swap_within_one_file(units, tmp_path):
    run(
        "import_people",
        tmp_path,
        PEOPLE_HEADER + "lama,Kepala Lama,,opd_head,dinkes,head,,,,\n",
    )
    content = PEOPLE_HEADER + (
        "lama,Kepala Lama,,opd_operator,dinkes,operator,,,,\n"
        "baru,Kepala Baru,,opd_head,dinkes,head,,,,\n"
    )
    run("import_people", tmp_path, content)
    assert Membership.objects.get(unit__code="dinkes", position="head").user.username == "baru"
    assert Membership.objects.get(user__username="lama").position == "operator"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("x,Nama,,raja,,,,,,\n", "Baris 2, kolom 'roles': Peran 'raja' tidak dikenal"),
        ("x,Nama,,,,,,,,\n", "Baris 2, kolom 'roles': Isi minimal satu peran"),
        ("x,Nama,bukan-email,observer,,,,,,\n", "Baris 2, kolom 'email'"),
        (
            "x,Nama,,opd_head,dinas-x,head,,,,\n",
            "Baris 2, kolom 'unit': Unit dengan kode 'dinas-x'",
        ),
        ("x,Nama,,opd_head,,,,,,\n", "Baris 2, kolom 'position'"),
        ("x,Nama,,opd_operator,dinkes,direktur,,,,\n", "Baris 2, kolom 'position'"),
        ("x,Nama,,observer,dinkes,head,,,,\n", "Baris 2, kolom 'roles': Jabatan 'head'"),
        ("x,,,observer,,,,,,\n", "Baris 2, kolom 'full_name'"),
        ("x y,Nama,,observer,,,,,,\n", "Baris 2, kolom 'username'"),
        (",Nama,,observer,,,,,,\n", "Baris 2, kolom 'username': Nama pengguna wajib"),
        ("x,Nama,,observer,,,,,,pendek\n", "Baris 2, kolom 'password'"),
        ("x,Nama,,mentor,,,dinkes;nope,2026,no,\n", "Baris 2, kolom 'mentor_units'"),
        ("x,Nama,,mentor,,,dinkes,,no,\n", "Baris 2, kolom 'year'"),
        ("x,Nama,,mentor,,,dinkes,20x6,no,\n", "Baris 2, kolom 'year'"),
        ("x,Nama,,mentor,,,dinkes,2026,rsud,\n", "Baris 2, kolom 'lead'"),
        ("x,Nama,,observer,,,dinkes,2026,no,\n", "Baris 2, kolom 'roles'"),
        (
            "x,Nama,,observer,,,,,,\nx,Nama Lain,,observer,,,,,,\n",
            "Baris 3, kolom 'username': Nama pengguna 'x' sudah ada di baris 2",
        ),
        (
            "a,Kepala A,,opd_head,dinkes,head,,,,\nb,Kepala B,,opd_head,dinkes,head,,,,\n",
            "Baris 3, kolom 'unit': Unit 'dinkes' sudah punya kepala di baris 2",
        ),
        (
            "a,Mentor A,,mentor,,,dinkes,2026,yes,\nb,Mentor B,,mentor,,,dinkes;rsud,2026,yes,\n",
            "Baris 3, kolom 'lead': Unit 'dinkes' tahun 2026 sudah punya pendamping utama",
        ),
    ],
)
def test_people_bad_rows_are_reported_and_nothing_is_written(units, tmp_path, rows, expected):
    before = snapshot()
    report = run_failing(
        "import_people", tmp_path, PEOPLE_HEADER + "baik,Orang Baik,,observer,,,,,,\n" + rows
    )
    assert _shift(expected) in report
    assert snapshot() == before
    assert not User.objects.filter(username="baik").exists()


def _shift(expected: str) -> str:
    """The good row comes first, so every reported line moves down by one."""
    return re.sub(r"(Baris|baris) (\d+)", lambda m: f"{m.group(1)} {int(m.group(2)) + 1}", expected)


@pytest.mark.django_db
def test_people_second_head_conflicts_with_database(units, tmp_path):
    run("import_people", tmp_path, PEOPLE_HEADER + "lama,Kepala Lama,,opd_head,dinkes,head,,,,\n")
    before = snapshot()
    report = run_failing(
        "import_people", tmp_path, PEOPLE_HEADER + "baru,Kepala Baru,,opd_head,dinkes,head,,,,\n"
    )
    assert "Baris 2, kolom 'unit': Unit 'dinkes' sudah punya kepala 'lama'" in report
    assert snapshot() == before


@pytest.mark.django_db
def test_people_second_lead_conflicts_with_database(units, tmp_path):
    run("import_people", tmp_path, PEOPLE_HEADER + "m1,Mentor Satu,,mentor,,,dinkes,2026,yes,\n")
    before = snapshot()
    report = run_failing(
        "import_people", tmp_path, PEOPLE_HEADER + "m2,Mentor Dua,,mentor,,,dinkes,2026,yes,\n"
    )
    assert "Baris 2, kolom 'lead': Unit 'dinkes' tahun 2026 sudah punya pendamping utama 'm1'" in (
        report
    )
    assert snapshot() == before
    # Another year is free, and a co-mentor is fine in the same year.
    run(
        "import_people",
        tmp_path,
        PEOPLE_HEADER + "m2,Mentor Dua,,mentor,,,dinkes,2025,yes,\n",
    )
    assert MentorAssignment.objects.filter(unit__code="dinkes", is_lead=True).count() == 2


@pytest.mark.django_db
def test_service_functions_report_rows_without_the_command(units):
    report = import_units(data="code;name;kind\nbaru;Unit Baru;bumd\n")
    assert (report.ok, report.created) == (True, 1)
    report = import_people(data=PEOPLE_HEADER + "x,Nama,,opd_head,rsud,operator,,,,\n")
    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} == {(2, "roles"), (2, "position")}
