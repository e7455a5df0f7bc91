# ruff: noqa: E501  (the content tables keep one idea per line)
"""Demo data for a Kukar-like installation (`manage.py seed_demo`).

The first half is content (units, names, innovation ideas, text templates); the second half drives
every case through the real services (workflow.services.open_case / perform_action and
mentoring.services), never by writing stage fields, so processes, tasks and history agree. Only
timestamps are moved afterwards, to spread the timelines over the programme years.
Random but deterministic: one random.Random(seed) feeds every choice.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from scoring import services as scoring_services
from workflow import deadlines
from workflow import services as workflow_services
from workflow.lifecycle import DEFAULT_SLA_DAYS
from workflow.models import CaseEvent, InnovationProcess, StageVisit
from workflow.roles import ensure_roles

from .models import (
    OPEN_STAGES,
    Attachment,
    EvidenceItem,
    FollowUp,
    Indicator,
    Inisiator,
    Innovation,
    Maturity,
    Membership,
    MentorAssignment,
    MentoringSession,
    Role,
    Stage,
    Unit,
    Urusan,
)

KECAMATAN = [
    "Anggana",
    "Kembang Janggut",
    "Kenohan",
    "Kota Bangun",
    "Kota Bangun Darat",
    "Loa Janan",
    "Loa Kulu",
    "Marang Kayu",
    "Muara Badak",
    "Muara Jawa",
    "Muara Kaman",
    "Muara Muntai",
    "Muara Wis",
    "Samboja",
    "Samboja Barat",
    "Sanga-Sanga",
    "Sebulu",
    "Tabang",
    "Tenggarong",
    "Tenggarong Seberang",
]

# (code, name, kind, short label used in innovation names)
OPDS = [
    ("setda", "Sekretariat Daerah", "sekretariat", "Setda"),
    ("setwan", "Sekretariat DPRD", "sekretariat", "Setwan"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah (Bappeda)", "badan", "Bappeda"),
    ("brida", "Badan Riset dan Inovasi Daerah (BRIDA)", "badan", "BRIDA"),
    ("bkad", "Badan Keuangan dan Aset Daerah", "badan", "BKAD"),
    ("bapenda", "Badan Pendapatan Daerah", "badan", "Bapenda"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", "BKPSDM"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "badan", "BPBD"),
    ("kesbangpol", "Badan Kesatuan Bangsa dan Politik", "badan", "Kesbangpol"),
    ("dinkes", "Dinas Kesehatan", "dinas", "Dinkes"),
    ("disdikbud", "Dinas Pendidikan dan Kebudayaan", "dinas", "Disdikbud"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", "Disdukcapil"),
    ("dinsos", "Dinas Sosial", "dinas", "Dinsos"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas", "DPUPR"),
    ("disperkim", "Dinas Perumahan dan Kawasan Permukiman", "dinas", "Disperkim"),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "dinas", "Diskominfo"),
    (
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "dinas",
        "DPMPTSP",
    ),
    ("dlhk", "Dinas Lingkungan Hidup dan Kehutanan", "dinas", "DLHK"),
    ("dishub", "Dinas Perhubungan", "dinas", "Dishub"),
    ("dispar", "Dinas Pariwisata", "dinas", "Dispar"),
    ("distanak", "Dinas Pertanian dan Peternakan", "dinas", "Distanak"),
    ("dkp", "Dinas Kelautan dan Perikanan", "dinas", "DKP"),
    ("disperindag", "Dinas Perindustrian dan Perdagangan", "dinas", "Disperindag"),
    ("diskop-ukm", "Dinas Koperasi dan Usaha Kecil Menengah", "dinas", "Diskop UKM"),
    ("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "dinas", "DPMD"),
    ("dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas", "DP3A"),
    ("dppkb", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "dinas", "DPPKB"),
    ("disnakertrans", "Dinas Tenaga Kerja dan Transmigrasi", "dinas", "Disnakertrans"),
    ("dispora", "Dinas Pemuda dan Olahraga", "dinas", "Dispora"),
    ("dispursip", "Dinas Perpustakaan dan Kearsipan", "dinas", "Dispursip"),
    ("dkp3", "Dinas Ketahanan Pangan", "dinas", "DKP3"),
]

OTHER_UNITS = [
    ("rsud-amp", "RSUD Aji Muhammad Parikesit", "rsud", "RSUD AM Parikesit"),
    ("pkm-tenggarong", "Puskesmas Tenggarong", "puskesmas", "Tenggarong"),
    ("pkm-loa-kulu", "Puskesmas Loa Kulu", "puskesmas", "Loa Kulu"),
    ("pkm-muara-badak", "Puskesmas Muara Badak", "puskesmas", "Muara Badak"),
    ("pkm-sebulu", "Puskesmas Sebulu I", "puskesmas", "Sebulu"),
    ("kel-melayu", "Kelurahan Melayu", "kelurahan", "Melayu"),
    ("desa-bukit-raya", "Desa Bukit Raya", "desa", "Bukit Raya"),
    ("tirta-mahakam", "Perumda Air Minum Tirta Mahakam", "bumd", "Tirta Mahakam"),
]


def kecamatan_code(name: str) -> str:
    return "kec-" + name.lower().replace(" ", "-")


FIRST_NAMES_M = [
    "Ahmad", "Awang", "Aji", "Budi", "Dedy", "Fajar", "Hendra", "Irwan", "Joko", "Kurniawan",
    "Muhammad", "Rahmat", "Rizal", "Sugeng", "Syahrul", "Taufik", "Wahyu", "Yusran", "Zainal",
    "Agus", "Bambang", "Darmawan", "Eko", "Ferry", "Gunawan", "Haris", "Imam", "Lukman",
    "Mulyadi", "Nanang", "Ridwan", "Sarifudin", "Teguh", "Arief", "Andi", "Junaidi",
]  # fmt: skip
FIRST_NAMES_F = [
    "Dayang", "Siti", "Nur", "Rina", "Dewi", "Fitri", "Indah", "Lestari", "Maya", "Nurul",
    "Ratna", "Sri", "Wulan", "Yuliana", "Ayu", "Desy", "Eka", "Hartini", "Kartika", "Lina",
    "Mariana", "Nova", "Puspita", "Rosita", "Sulastri", "Vivi", "Winarti", "Yanti",
]  # fmt: skip
LAST_NAMES = [
    "Saputra", "Hidayat", "Rahman", "Syahputra", "Kurnia", "Wibowo", "Santoso", "Gunadi",
    "Maulana", "Pratama", "Setiawan", "Hakim", "Nugroho", "Firdaus", "Ramadhan", "Susanto",
    "Hamdani", "Prasetyo", "Anwar", "Syamsudin", "Fahmi", "Akbar", "Aminah", "Noor",
    "Mahmud", "Ismail", "Salim", "Yusuf", "Hasan", "Kadir", "Basri", "Effendi", "Iskandar",
]  # fmt: skip
HEAD_PREFIXES = ["", "", "H. ", "Dr. ", "Ir. ", "Drs. "]
HEAD_SUFFIXES = [", S.Sos., M.Si.", ", S.E., M.M.", ", S.T., M.T.", ", S.H.", ", M.Pd.", ", S.Kep."]


@dataclass(frozen=True)
class Idea:
    """An innovation idea: name, main urusan, digital or not, the problem, the fix, who benefits."""

    name: str
    urusan: str
    jenis: str
    masalah: str
    solusi: str
    sasaran: str
    bentuk: str = "pelayanan_publik"


D, N = "digital", "non_digital"
TK, PP, LN = "tata_kelola", "pelayanan_publik", "lainnya"

# Ideas for particular units; `{place}` is replaced by the unit's short label.
UNIT_IDEAS: dict[str, list[Idea]] = {
    "dinkes": [
        Idea("SIPANDU KIA", "kesehatan", D, "pemantauan kesehatan ibu hamil dan balita yang masih tercatat di buku register terpisah di setiap posyandu", "sistem informasi pemantauan ibu dan anak terpadu yang menghubungkan posyandu, puskesmas dan Dinas Kesehatan", "ibu hamil, ibu nifas dan balita"),
        Idea("E-Posyandu", "kesehatan", D, "laporan bulanan posyandu yang terlambat dan sering hilang sebelum sampai ke puskesmas", "aplikasi pencatatan posyandu berbasis ponsel yang dapat dipakai kader tanpa sinyal lalu dikirim saat terhubung internet", "kader posyandu dan balita"),
        Idea("GERCEP Stunting Kukar", "kesehatan", N, "angka stunting yang masih tinggi di desa-desa pesisir dan hulu Mahakam", "gerakan cepat penanganan stunting melalui pendampingan keluarga berisiko oleh tim lintas sektor", "keluarga berisiko stunting"),
        Idea("Dokter Terbang Hulu Mahakam", "kesehatan", N, "sulitnya warga kecamatan hulu menjangkau dokter spesialis di Tenggarong", "kunjungan terjadwal dokter spesialis ke puskesmas di kecamatan hulu", "warga kecamatan hulu"),
    ],
    "disdukcapil": [
        Idea("Layanan Adminduk Keliling", "administrasi-kependudukan-dan-pencatatan-sipil", N, "warga desa terpencil harus menempuh perjalanan sungai berjam-jam untuk mengurus KTP-el dan KK", "layanan jemput bola dengan mobil dan perahu pelayanan yang berkeliling ke desa sesuai jadwal", "warga desa terpencil"),
        Idea("SIAP JEMPOL", "administrasi-kependudukan-dan-pencatatan-sipil", D, "antrean panjang di kantor Disdukcapil untuk perubahan data kependudukan", "pengajuan dokumen kependudukan secara daring dengan tanda tangan elektronik", "pemohon dokumen kependudukan"),
        Idea("Akta Lahir Langsung dari Puskesmas", "administrasi-kependudukan-dan-pencatatan-sipil", D, "banyak bayi yang belum memiliki akta kelahiran hingga usia sekolah", "penerbitan akta kelahiran yang diajukan langsung oleh bidan puskesmas setelah persalinan", "bayi baru lahir dan orang tuanya"),
    ],
    "disdikbud": [
        Idea("Sekolah Literasi Mahakam", "pendidikan", N, "rendahnya kemampuan literasi siswa sekolah dasar di daerah aliran sungai", "gerakan membaca harian dengan pojok baca kelas dan relawan literasi desa", "siswa sekolah dasar"),
        Idea("E-Rapor Terpadu Kukar", "pendidikan", D, "guru menyusun rapor dengan aplikasi berbeda-beda sehingga data capaian belajar tidak dapat dipantau", "rapor elektronik terpadu yang terhubung dengan data pokok pendidikan", "guru dan orang tua siswa"),
        Idea("Guru Kunjung Pedalaman", "pendidikan", N, "anak-anak di dusun terpencil yang tidak dapat bersekolah setiap hari", "guru kunjung yang mengajar berkelompok di rumah belajar dusun", "anak usia sekolah di dusun terpencil"),
    ],
    "dinsos": [
        Idea("SI-PEKA Sosial", "sosial", D, "data penerima bantuan sosial yang tidak mutakhir dan sering tumpang tindih", "pemutakhiran data terpadu kesejahteraan sosial oleh operator desa melalui aplikasi", "keluarga penerima bantuan sosial"),
        Idea("Rumah Singgah Disabilitas", "sosial", N, "penyandang disabilitas dari kecamatan jauh tidak memiliki tempat singgah saat berobat", "rumah singgah dengan pendamping yang melayani penyandang disabilitas dan keluarganya", "penyandang disabilitas"),
    ],
    "dpupr": [
        Idea("SIJALI (Sistem Informasi Jalan dan Jembatan)", "pekerjaan-umum-dan-penataan-ruang", D, "laporan kerusakan jalan yang lambat sampai ke bidang bina marga", "peta kondisi jalan dan jembatan yang diperbarui dari laporan foto warga dan petugas", "pengguna jalan kabupaten"),
        Idea("PBG Cepat Kukar", "pekerjaan-umum-dan-penataan-ruang", D, "lamanya proses persetujuan bangunan gedung", "pendampingan dan pemeriksaan berkas persetujuan bangunan gedung secara daring", "pemohon PBG"),
    ],
    "diskominfo": [
        Idea("Kukar Satu Data", "statistik", D, "data sektoral yang tersebar di banyak perangkat daerah dengan format berbeda", "portal satu data dengan standar metadata dan walidata di setiap perangkat daerah", "perangkat daerah dan masyarakat"),
        Idea("Desa Terhubung", "komunikasi-dan-informatika", D, "desa-desa yang belum terjangkau internet untuk layanan pemerintahan", "titik akses internet di kantor desa yang dikelola bersama pemerintah desa", "aparatur dan warga desa"),
        Idea("Lapor Kukar", "komunikasi-dan-informatika", D, "pengaduan warga yang tersebar di media sosial tanpa tindak lanjut yang jelas", "kanal pengaduan terpadu dengan batas waktu tindak lanjut bagi setiap perangkat daerah", "warga Kutai Kartanegara"),
    ],
    "dpmptsp": [
        Idea("Izin Antar ke Rumah", "penanaman-modal", N, "pelaku usaha mikro di kecamatan jauh enggan mengurus izin karena jarak", "penyerahan dokumen izin langsung ke alamat pemohon bekerja sama dengan kantor pos", "pelaku usaha mikro"),
        Idea("Klinik Investasi Kukar", "penanaman-modal", N, "calon investor kesulitan memperoleh informasi peluang investasi daerah", "klinik konsultasi investasi terjadwal dengan profil peluang per kecamatan", "calon investor"),
    ],
    "dlhk": [
        Idea("Bank Sampah Digital", "lingkungan-hidup", D, "pencatatan tabungan bank sampah yang manual dan rawan salah hitung", "aplikasi tabungan bank sampah dengan timbangan tercatat dan saldo yang dapat dilihat nasabah", "nasabah bank sampah"),
        Idea("Kampung Iklim Mahakam", "lingkungan-hidup", N, "banjir musiman dan berkurangnya tutupan hijau di permukiman tepi sungai", "pendampingan kampung iklim dengan penanaman, biopori dan pengelolaan sampah mandiri", "warga permukiman tepi sungai"),
    ],
    "dishub": [
        Idea("Angkutan Sungai Aman", "perhubungan", N, "kecelakaan angkutan sungai karena penumpang tidak memakai pelampung", "pemeriksaan kelaikan dan pembagian pelampung di dermaga dengan petugas keselamatan", "penumpang angkutan sungai"),
        Idea("SI-PARKIR Tenggarong", "perhubungan", D, "kebocoran retribusi parkir tepi jalan", "pembayaran parkir non tunai dengan kode QR di setiap titik parkir", "pengguna parkir dan juru parkir"),
    ],
    "dispar": [
        Idea("Erau Digital", "pariwisata", D, "informasi agenda festival Erau yang tersebar dan sulit diakses wisatawan", "aplikasi agenda, peta dan tiket acara Erau yang terintegrasi", "wisatawan dan pelaku wisata"),
        Idea("Desa Wisata Naik Kelas", "pariwisata", N, "desa wisata yang belum memiliki paket wisata dan pengelolaan yang tertata", "pendampingan pokdarwis menyusun paket wisata dan promosi bersama", "pokdarwis dan warga desa wisata"),
    ],
    "distanak": [
        Idea("Petani Milenial Kukar", "pertanian", N, "menurunnya minat generasi muda untuk bertani", "inkubasi petani muda dengan lahan percontohan dan pendampingan pemasaran", "petani muda"),
        Idea("SI-PUPUK Tepat", "pertanian", D, "penyaluran pupuk bersubsidi yang tidak tepat sasaran", "pendataan kebutuhan pupuk per kelompok tani yang dicocokkan dengan penyaluran kios", "kelompok tani"),
    ],
    "dkp": [
        Idea("Nelayan Sejahtera Pesisir", "kelautan-dan-perikanan", N, "hasil tangkapan nelayan pesisir yang dijual murah kepada tengkulak", "sentra pengolahan dan pemasaran bersama hasil perikanan", "nelayan pesisir Anggana dan Muara Badak"),
        Idea("SI-IKAN (Informasi Harga Ikan)", "kelautan-dan-perikanan", D, "nelayan tidak mengetahui harga ikan di pasar sebelum menjual", "informasi harga ikan harian dari pasar utama yang dikirim melalui pesan singkat", "nelayan dan pembudidaya ikan"),
    ],
    "disperindag": [
        Idea("Pasar Rakyat Non Tunai", "perdagangan", D, "transaksi pasar rakyat yang serba tunai menyulitkan pencatatan retribusi", "pembayaran non tunai dan retribusi elektronik di pasar rakyat", "pedagang dan pembeli pasar"),
        Idea("Tera Ulang Keliling", "perdagangan", N, "timbangan pedagang di kecamatan jauh jarang ditera ulang", "layanan tera ulang keliling ke pasar-pasar kecamatan", "pedagang pasar"),
    ],
    "diskop-ukm": [
        Idea("UMKM Naik Kelas Kukar", "koperasi-usaha-kecil-dan-menengah", N, "produk UMKM yang belum memiliki izin edar dan kemasan layak jual", "klinik kemasan, sertifikasi halal dan izin edar terpadu bagi UMKM", "pelaku UMKM"),
        Idea("Etalase UMKM Digital", "koperasi-usaha-kecil-dan-menengah", D, "pemasaran produk UMKM yang terbatas di pasar lokal", "katalog daring produk UMKM yang terhubung dengan lokapasar", "pelaku UMKM"),
    ],
    "dpmd": [
        Idea("SIPEDES Kukar", "pemberdayaan-masyarakat-dan-desa", D, "laporan penggunaan dana desa yang terlambat dan sulit diperiksa", "sistem pelaporan keuangan desa daring dengan unggahan bukti kegiatan", "pemerintah desa"),
        Idea("Desa Mandiri Data", "pemberdayaan-masyarakat-dan-desa", D, "perencanaan desa yang tidak didukung data warga yang mutakhir", "pendataan warga berbasis rukun tetangga yang diperbarui setiap semester", "pemerintah desa dan warga"),
    ],
    "dp3a": [
        Idea("SAPA Perempuan dan Anak", "pemberdayaan-perempuan-dan-pelindungan-anak", D, "korban kekerasan yang takut melapor dan tidak tahu harus ke mana", "layanan pengaduan 24 jam dengan pendampingan psikolog dan hukum", "perempuan dan anak korban kekerasan"),
        Idea("Kecamatan Layak Anak", "pemberdayaan-perempuan-dan-pelindungan-anak", N, "pemenuhan hak anak yang belum merata di tingkat kecamatan", "gugus tugas kecamatan layak anak dengan forum anak di setiap desa", "anak-anak"),
    ],
    "dppkb": [
        Idea("Dapur Sehat Atasi Stunting", "pengendalian-penduduk-dan-keluarga-berencana", N, "keluarga berisiko stunting yang kekurangan asupan protein hewani", "dapur sehat kampung KB yang menyediakan makanan bergizi bagi baduta", "baduta dan ibu hamil"),
        Idea("KB Pasca Persalinan Jemput Bola", "pengendalian-penduduk-dan-keluarga-berencana", N, "rendahnya kesertaan KB pasca persalinan", "konseling dan layanan KB di rumah ibu pasca persalinan oleh penyuluh", "ibu pasca persalinan"),
    ],
    "disnakertrans": [
        Idea("Bursa Kerja Daring Kukar", "tenaga-kerja", D, "pencari kerja lokal tidak mendapat informasi lowongan perusahaan tambang dan perkebunan", "bursa kerja daring yang mewajibkan perusahaan mengumumkan lowongan", "pencari kerja lokal"),
        Idea("Pelatihan Kerja Keliling", "tenaga-kerja", N, "pemuda di kecamatan jauh sulit mengikuti pelatihan kerja di Tenggarong", "mobil pelatihan kerja yang membawa instruktur dan peralatan ke kecamatan", "pemuda pencari kerja"),
    ],
    "dispora": [
        Idea("Kukar Muda Berdaya", "kepemudaan-dan-olahraga", N, "kegiatan kepemudaan yang tidak berkelanjutan", "inkubator kegiatan pemuda dengan pendanaan bergulir dan mentor", "organisasi kepemudaan"),
    ],
    "dispursip": [
        Idea("Perpustakaan Keliling Sungai", "perpustakaan", N, "minat baca rendah di desa tepi sungai yang jauh dari perpustakaan", "kapal perpustakaan keliling yang singgah di desa-desa tepi Mahakam", "anak-anak dan warga tepi sungai"),
        Idea("Arsip Digital Desa", "kearsipan", D, "arsip desa yang rusak karena banjir dan rayap", "alih media arsip vital desa ke dalam aplikasi arsip digital", "pemerintah desa"),
    ],
    "dkp3": [
        Idea("Lumbung Pangan Desa", "pangan", N, "kerawanan pangan saat banjir memutus jalur distribusi", "lumbung pangan desa yang dikelola kelompok wanita tani", "warga desa rawan banjir"),
        Idea("Pekarangan Pangan Lestari", "pangan", N, "pekarangan rumah yang belum dimanfaatkan untuk sumber pangan", "pendampingan kelompok wanita tani mengelola kebun pangan pekarangan", "kelompok wanita tani"),
    ],
    "bappeda": [
        Idea("E-Musrenbang Kukar", "perencanaan", D, "usulan musrenbang yang tercatat manual dan sulit ditelusuri hasilnya", "aplikasi usulan musrenbang yang dapat dipantau pengusulnya hingga penganggaran", "pengusul musrenbang", TK),
        Idea("Dashboard Indikator Makro", "perencanaan", D, "pimpinan daerah sulit memantau capaian indikator makro secara cepat", "dasbor indikator makro daerah yang diperbarui dari data statistik resmi", "pimpinan daerah", TK),
    ],
    "brida": [
        Idea("Klinik Inovasi Daerah", "penelitian-dan-pengembangan", N, "perangkat daerah kesulitan menyusun dan mengemas inovasi untuk penilaian IID", "klinik konsultasi inovasi terjadwal dengan tim pendamping BRIDA", "perangkat daerah", TK),
        Idea("Bank Data Riset Kukar", "penelitian-dan-pengembangan", D, "hasil riset tentang daerah yang tersebar dan tidak dimanfaatkan", "repositori daring hasil penelitian dan kajian tentang Kutai Kartanegara", "perencana dan peneliti", TK),
    ],
    "bkad": [
        Idea("SIMDA Aset Terpadu", "keuangan", D, "inventarisasi barang milik daerah yang tidak sesuai dengan kondisi lapangan", "penandaan aset dengan kode QR dan pemutakhiran kondisi melalui ponsel", "pengurus barang perangkat daerah", TK),
        Idea("Pencairan SP2D Cepat", "keuangan", D, "lamanya penerbitan SP2D pada akhir tahun anggaran", "penerbitan SP2D elektronik dengan tanda tangan elektronik", "bendahara perangkat daerah", TK),
    ],
    "bapenda": [
        Idea("PBB Sekali Klik", "keuangan", D, "wajib pajak harus datang ke kantor untuk mengetahui tagihan PBB", "cek dan bayar PBB melalui aplikasi dan gerai ritel", "wajib pajak PBB", TK),
        Idea("Pajak Restoran Online", "keuangan", D, "potensi pajak restoran yang belum tergali karena omzet tidak tercatat", "alat perekam transaksi di restoran yang terhubung ke Bapenda", "pelaku usaha restoran", TK),
    ],
    "bkpsdm": [
        Idea("SIAP ASN Kukar", "kepegawaian", D, "usulan kenaikan pangkat yang lambat karena berkas fisik", "usulan kenaikan pangkat dan pensiun secara daring", "aparatur sipil negara", TK),
        Idea("Coaching Clinic Kinerja", "kepegawaian", N, "penyusunan sasaran kinerja pegawai yang tidak selaras dengan tujuan organisasi", "klinik pendampingan penyusunan SKP bagi pejabat penilai", "pejabat dan pegawai", TK),
    ],
    "bpbd": [
        Idea("Peringatan Dini Banjir Mahakam", "ketenteraman-ketertiban-umum-dan-pelindungan-masyarakat", D, "warga terlambat mengetahui kenaikan muka air Sungai Mahakam", "sensor tinggi muka air dengan peringatan dini melalui pesan singkat", "warga bantaran sungai"),
        Idea("Desa Tangguh Bencana", "ketenteraman-ketertiban-umum-dan-pelindungan-masyarakat", N, "desa rawan bencana yang belum memiliki rencana kontinjensi", "pembentukan relawan dan rencana kontinjensi desa", "warga desa rawan bencana"),
    ],
    "kesbangpol": [
        Idea("Forum Kewaspadaan Dini Desa", "ketenteraman-ketertiban-umum-dan-pelindungan-masyarakat", N, "potensi konflik sosial yang tidak terdeteksi sejak awal", "forum kewaspadaan dini tingkat desa dengan pelaporan berkala", "warga desa", TK),
    ],
    "setda": [
        Idea("SIMPEL Naskah Dinas", "kearsipan", D, "surat menyurat dinas yang lambat dan menumpuk di meja pimpinan", "tata naskah dinas elektronik dengan disposisi dan tanda tangan elektronik", "pejabat dan staf pemerintah daerah", TK),
        Idea("Rapat Tanpa Kertas", "komunikasi-dan-informatika", D, "biaya cetak bahan rapat pimpinan yang tinggi", "bahan rapat elektronik yang dibagikan melalui tablet", "peserta rapat pimpinan", TK),
    ],
    "setwan": [
        Idea("DPRD Menyapa", "komunikasi-dan-informatika", D, "aspirasi warga kepada DPRD yang tidak terdokumentasi", "kanal aspirasi daring dengan penelusuran tindak lanjut oleh komisi", "warga dan anggota DPRD", TK),
    ],
    "disperkim": [
        Idea("Bedah Rumah Tepat Sasaran", "perumahan-rakyat-dan-kawasan-permukiman", D, "bantuan rumah tidak layak huni yang tidak tepat sasaran", "verifikasi calon penerima dengan foto berkoordinat dan skor kelayakan", "keluarga berpenghasilan rendah"),
        Idea("Kampung Terang", "perumahan-rakyat-dan-kawasan-permukiman", N, "gang permukiman padat yang gelap dan rawan", "penerangan jalan lingkungan tenaga surya yang dipelihara warga", "warga permukiman padat"),
    ],
    "rsud-amp": [
        Idea("Antrean Online Poliklinik", "kesehatan", D, "antrean pasien poliklinik yang dimulai sejak subuh", "pendaftaran dan nomor antrean poliklinik melalui aplikasi dan pesan singkat", "pasien rawat jalan"),
        Idea("SIRANAP Kukar", "kesehatan", D, "keluarga pasien tidak mengetahui ketersediaan tempat tidur rawat inap", "informasi ketersediaan tempat tidur yang diperbarui setiap jam", "pasien dan keluarga"),
        Idea("Telekonsultasi Spesialis untuk Puskesmas", "kesehatan", D, "rujukan yang sebenarnya dapat ditangani di puskesmas", "konsultasi dokter puskesmas dengan dokter spesialis rumah sakit melalui video", "pasien puskesmas"),
        Idea("Resep Elektronik Tanpa Antre", "kesehatan", D, "lamanya antrean pengambilan obat di instalasi farmasi", "resep elektronik yang langsung diproses farmasi sebelum pasien tiba", "pasien rawat jalan"),
    ],
    "tirta-mahakam": [
        Idea("Bayar Air dari Rumah", "pekerjaan-umum-dan-penataan-ruang", D, "pelanggan harus antre di loket untuk membayar tagihan air", "pembayaran tagihan air melalui bank, gerai ritel dan dompet digital", "pelanggan air minum"),
        Idea("Lapor Bocor Tirta Mahakam", "pekerjaan-umum-dan-penataan-ruang", D, "kebocoran pipa yang lama diperbaiki sehingga air terbuang", "pelaporan kebocoran dengan foto dan lokasi yang langsung diteruskan ke petugas", "pelanggan air minum"),
    ],
}  # fmt: skip

KIND_IDEAS: dict[str, list[Idea]] = {
    "kecamatan": [
        Idea("PATEN Keliling {place}", "pemberdayaan-masyarakat-dan-desa", N, "warga desa jauh harus datang ke kantor camat untuk layanan administrasi", "pelayanan administrasi terpadu kecamatan yang berkeliling ke desa sesuai jadwal", "warga Kecamatan {place}"),
        Idea("Gerakan Bebas Stunting {place}", "kesehatan", N, "balita stunting yang belum terpantau rutin di desa-desa Kecamatan {place}", "rembuk stunting kecamatan dengan kader pendamping keluarga di setiap desa", "balita dan keluarga berisiko"),
        Idea("Lapak UMKM Digital {place}", "koperasi-usaha-kecil-dan-menengah", D, "produk unggulan desa yang hanya dijual di pasar kecamatan", "lapak daring bersama produk unggulan desa yang dikelola kecamatan", "pelaku usaha desa"),
        Idea("Kampung Tangguh {place}", "ketenteraman-ketertiban-umum-dan-pelindungan-masyarakat", N, "desa rawan banjir dan kebakaran lahan yang belum siaga", "relawan kampung tangguh dengan posko dan jalur evakuasi", "warga Kecamatan {place}"),
        Idea("Surat Desa Online {place}", "pemberdayaan-masyarakat-dan-desa", D, "surat keterangan desa yang menunggu kepala desa berada di kantor", "permohonan surat keterangan desa secara daring dengan tanda tangan elektronik", "warga desa"),
        Idea("Pojok Literasi {place}", "perpustakaan", N, "anak-anak desa tidak memiliki akses bacaan", "pojok baca di balai desa yang diisi buku dari perpustakaan daerah", "anak-anak desa"),
    ],
    "puskesmas": [
        Idea("Posbindu PTM Keliling {place}", "kesehatan", N, "penyakit tidak menular yang terlambat terdeteksi", "pos pembinaan terpadu yang berkeliling ke tempat kerja dan rumah ibadah", "warga usia produktif"),
        Idea("Antrean Daring Puskesmas {place}", "kesehatan", D, "pasien menunggu berjam-jam di ruang tunggu puskesmas", "pendaftaran daring dengan perkiraan jam dilayani", "pasien puskesmas"),
        Idea("Kelas Ibu Hamil Virtual {place}", "kesehatan", D, "ibu hamil yang bekerja tidak dapat mengikuti kelas ibu hamil", "kelas ibu hamil melalui video dan grup pesan", "ibu hamil"),
    ],
    "kelurahan": [
        Idea("Bank Sampah {place}", "lingkungan-hidup", N, "sampah rumah tangga yang dibuang ke sungai", "bank sampah kelurahan dengan tabungan emas", "warga Kelurahan {place}"),
        Idea("Posyandu Remaja {place}", "kesehatan", N, "remaja putri yang anemia dan belum terpantau", "posyandu remaja dengan tablet tambah darah dan konseling sebaya", "remaja"),
    ],
    "desa": [
        Idea("BUMDes Digital {place}", "pemberdayaan-masyarakat-dan-desa", D, "pembukuan BUMDes yang manual dan tidak transparan", "aplikasi pembukuan BUMDes yang dapat dipantau warga", "warga Desa {place}"),
        Idea("Desa Sehat {place}", "kesehatan", N, "sanitasi rumah tangga yang belum layak", "arisan jamban sehat dan pemantauan oleh kader desa", "warga Desa {place}"),
    ],
}  # fmt: skip

GENERIC_IDEAS = [
    Idea("Layanan Pengaduan Terpadu {place}", "komunikasi-dan-informatika", D, "pengaduan layanan yang tidak tercatat dan tidak ditindaklanjuti", "kanal pengaduan tunggal dengan nomor tiket dan batas waktu jawaban", "pengguna layanan {place}", TK),
    Idea("Arsip Digital {place}", "kearsipan", D, "arsip kegiatan yang tersimpan dalam kardus dan sulit ditemukan", "alih media arsip ke aplikasi arsip digital dengan pencarian", "pegawai {place}", TK),
    Idea("Dasbor Kinerja {place}", "perencanaan", D, "capaian kinerja yang baru diketahui saat penyusunan laporan tahunan", "dasbor capaian kinerja triwulanan yang dapat dipantau pimpinan", "pimpinan dan pegawai {place}", TK),
    Idea("SOP Digital {place}", "kepegawaian", D, "standar operasional prosedur yang tidak diketahui pegawai baru", "SOP dalam bentuk video dan diagram alir yang dapat diakses di ponsel", "pegawai {place}", TK),
]  # fmt: skip

DASAR_HUKUM = [
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
    "Peraturan Pemerintah Nomor 38 Tahun 2017 tentang Inovasi Daerah",
    "Peraturan Menteri Dalam Negeri Nomor 104 Tahun 2018 tentang Penilaian dan Pemberian "
    "Penghargaan dan/atau Insentif Inovasi Daerah",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
    "Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik",
    "Peraturan Bupati Kutai Kartanegara tentang Inovasi Daerah",
]

RB_SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Dasar hukum",
        [
            "Inovasi {name} disusun dengan berpedoman pada {hukum1} dan {hukum2}.",
            "Selain itu, pelaksanaannya mengacu pada {hukum3} serta Surat Keputusan Kepala "
            "{unit} tentang Tim Inovasi {name}.",
            "Ketentuan tersebut memberi kewenangan kepada {unit} untuk menyelenggarakan "
            "pembaharuan dalam urusan {urusan}.",
        ],
    ),
    (
        "Permasalahan",
        [
            "Permasalahan utama yang dihadapi adalah {masalah}.",
            "Kondisi ini dirasakan langsung oleh {sasaran}, terutama yang tinggal jauh dari pusat "
            "pemerintahan di Tenggarong dan harus menempuh perjalanan darat maupun sungai.",
            "Data {unit} tahun {prev} menunjukkan bahwa keluhan terkait hal ini terus berulang "
            "dan belum pernah diselesaikan secara menyeluruh.",
            "Akibatnya waktu, biaya dan tenaga masyarakat terbuang, sementara pemerintah daerah "
            "tidak memiliki data yang cukup untuk mengambil keputusan.",
        ],
    ),
    (
        "Isu strategis",
        [
            "Isu ini sejalan dengan misi Kabupaten Kutai Kartanegara untuk mewujudkan pelayanan "
            "publik yang cepat, mudah dan terjangkau bagi seluruh warga.",
            "Perbaikan pada urusan {urusan} juga menjadi prioritas dalam RPJMD dan Rencana "
            "Strategis {unit}.",
            "Penilaian Indeks Inovasi Daerah menuntut setiap perangkat daerah menghasilkan inovasi "
            "yang bermanfaat nyata dan terdokumentasi dengan baik.",
        ],
    ),
    (
        "Metode pembaharuan",
        [
            "Sebelum inovasi, layanan dijalankan secara konvensional dengan pencatatan manual dan "
            "tatap muka di kantor.",
            "Melalui {name}, {unit} menghadirkan {solusi}.",
            "Pembaharuan ini mengubah cara kerja petugas, memangkas tahapan yang tidak perlu dan "
            "memastikan setiap permohonan tercatat sejak awal hingga selesai.",
            "Petugas mendapat bimbingan teknis dan pembagian peran yang jelas, sedangkan "
            "masyarakat mendapat informasi layanan melalui media sosial dan papan pengumuman.",
        ],
    ),
    (
        "Keunggulan dan kebaharuan",
        [
            "Keunggulan {name} terletak pada kemudahan akses, kecepatan layanan dan keterbukaan "
            "informasi bagi {sasaran}.",
            "Inovasi ini belum pernah diterapkan sebelumnya di {unit} dan dirancang sesuai "
            "kondisi geografis Kutai Kartanegara yang luas dengan banyak desa di tepi sungai.",
            "Biaya operasionalnya rendah karena memanfaatkan sumber daya yang sudah ada dan "
            "melibatkan kader serta aparat desa.",
        ],
    ),
    (
        "Tahapan penggunaan",
        [
            "Tahap pertama adalah sosialisasi kepada petugas dan {sasaran}.",
            "Tahap kedua, petugas menerima dan mencatat permohonan atau kegiatan sesuai standar "
            "operasional prosedur yang telah ditetapkan.",
            "Tahap ketiga, hasil layanan disampaikan kepada penerima manfaat dan dicatat dalam "
            "laporan bulanan.",
            "Tahap terakhir adalah monitoring dan evaluasi berkala oleh tim inovasi bersama "
            "pendamping dari BRIDA untuk perbaikan berkelanjutan.",
        ],
    ),
]

TUJUAN = [
    "Mengatasi {masalah} melalui {solusi}.",
    "Meningkatkan kualitas layanan {unit} bagi {sasaran} secara cepat, mudah dan terukur.",
]
MANFAAT = [
    "{sasaran_cap} memperoleh layanan lebih cepat tanpa harus datang berulang kali.",
    "{unit} memiliki data yang lebih akurat untuk perencanaan dan pengambilan keputusan.",
    "Biaya dan waktu yang dikeluarkan masyarakat berkurang.",
]
HASIL = [
    "Sejak diterapkan, waktu layanan turun dari rata-rata {before} hari menjadi {after} hari.",
    "Sebanyak {n} penerima manfaat telah terlayani dan tingkat kepuasan mencapai {skm} persen.",
]

SESSION_TOPICS = [
    ("Klinik inovasi: menajamkan permasalahan dan isu strategis", "tatap_muka"),
    ("Menyusun rancang bangun 300 kata", "tatap_muka"),
    ("Memilih indikator dan parameter IID yang realistis", "daring"),
    ("Pemeriksaan awal data dukung", "daring"),
    ("Menyiapkan video inovasi (latar belakang hingga dampak)", "tatap_muka"),
    ("Menyusun SK tim inovasi dan regulasi pendukung", "daring"),
    ("Kunjungan lapangan ke lokasi penerapan", "tatap_muka"),
]
FOLLOW_UPS = [
    "Lengkapi SK kepala perangkat daerah tentang inovasi",
    "Kumpulkan foto kegiatan dengan spanduk inovasi",
    "Hitung jumlah penerima manfaat per bulan",
    "Susun SOP dengan waktu layanan per tahap",
    "Rekam video testimoni penerima manfaat",
    "Perbaiki bagian metode pembaharuan",
    "Unggah DPA yang memuat kegiatan inovasi",
]
PROPOSAL_RETURNS = [
    "Permasalahan belum didukung data. Tambahkan angka dari laporan tahun lalu.",
    "Nama inovasi terlalu umum; jelaskan apa yang baru dibanding layanan sebelumnya.",
    "Sasaran dan penerima manfaat belum jelas. Mohon diperbaiki sebelum diajukan lagi.",
]
PACKAGING_RETURNS = [
    "Rancang bangun masih menyalin dari tahun lalu; perbarui bagian hasil dan tahapan.",
    "Data dukung SK belum ditandatangani. Unggah versi yang sudah ditandatangani.",
    "Video belum memuat unsur dampak. Lengkapi sebelum diajukan ke verifikasi.",
]
INVALID_NOTES = [
    "Dokumen buram dan nomor SK tidak terbaca.",
    "SK yang diunggah untuk inovasi lain, bukan inovasi ini.",
    "Jumlah penerima manfaat tidak sesuai dengan lampiran daftar hadir.",
    "Video tidak memuat unsur penjaringan ide.",
    "Linimasa tidak menunjukkan tanggal penerapan.",
]
REPORT_RETURNS = [
    "Jumlah penerima manfaat berbeda dengan data di rancang bangun. Mohon diselaraskan.",
    "Cantumkan nomor registrasi dari sistem nasional, bukan tautan umum.",
]
REJECT_REASONS = [
    "Inovasi sama dengan inovasi perangkat daerah lain yang sudah berjalan; disarankan replikasi.",
    "Bukan inovasi: kegiatan rutin yang sudah diatur dalam tugas pokok.",
]
WITHDRAW_REASONS = [
    "Anggaran kegiatan dipangkas pada perubahan APBD; inovasi ditunda ke tahun depan.",
    "Digabung dengan inovasi lain di unit yang sama.",
    "Penanggung jawab inovasi dimutasi; tim akan disusun ulang.",
]


# --- the engine ---------------------------------------------------------------------------------

DEFAULT_INNOVATIONS = 150
DEFAULT_PASSWORD = "demo12345"
DEFAULT_SEED = 2026
YEARS = (2025, 2026)
# SPD (region) scores the demo enters per year (yearly master data in a real instance).
DEMO_SPD_SCORES = {2025: "38.5", 2026: "41.2"}

# Where the cases end up (year, final stage) -> weight; sums to 150 so the default size is exact.
STAGE_WEIGHTS: dict[tuple[int, str], int] = {
    (2025, Stage.DONE): 44,
    (2025, Stage.CLOSE): 3,
    (2025, Stage.REPORT_GATE): 1,
    (2025, Stage.REPORTING): 2,
    (2025, Stage.PACKAGING): 1,
    (2025, Stage.VERIFICATION): 1,
    (2025, Stage.REJECTED): 4,
    (2025, Stage.WITHDRAWN): 4,
    (2026, Stage.PROPOSAL): 10,
    (2026, Stage.PROPOSAL_GATE): 7,
    (2026, Stage.MENTORING): 14,
    (2026, Stage.PACKAGING): 14,
    (2026, Stage.PACKAGING_GATE): 7,
    (2026, Stage.VERIFICATION): 10,
    (2026, Stage.REPORTING): 8,
    (2026, Stage.REPORT_GATE): 5,
    (2026, Stage.CLOSE): 4,
    (2026, Stage.DONE): 5,
    (2026, Stage.REJECTED): 3,
    (2026, Stage.WITHDRAWN): 3,
}
# The happy path, in order: a case aiming at stage S walks these until it stands in S.
PATH = [*OPEN_STAGES, Stage.DONE]
WORK_START_HOUR, WORK_END_HOUR = 8, 16


@dataclass
class Summary:
    units: int = 0
    users: int = 0
    assignments: int = 0
    innovations: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        stages = ", ".join(f"{Stage(s).label}: {n}" for s, n in self.by_stage.items())
        return [
            f"Data demo dibuat dalam {self.seconds:.1f} detik: {self.units} unit, "
            f"{self.users} pengguna, {self.assignments} penugasan pendamping, "
            f"{self.innovations} inovasi.",
            f"Per tahap: {stages}.",
        ]


def plan_stages(total: int) -> list[tuple[int, str]]:
    """(year, final stage) for `total` cases in the weights' proportions, every stage present."""
    weight_sum = sum(STAGE_WEIGHTS.values())
    exact = {key: total * w / weight_sum for key, w in STAGE_WEIGHTS.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    # Small runs still show every stage: borrow from the biggest bucket.
    for stage in Stage.values:
        if total >= len(Stage.values) and not any(n for (y, s), n in counts.items() if s == stage):
            biggest = max(counts, key=counts.get)
            counts[biggest] -= 1
            counts[(2026, stage)] = counts.get((2026, stage), 0) + 1
    return [key for key, n in counts.items() for _ in range(n)]


def minimal_pdf(title: str) -> bytes:
    """A small valid one-page PDF showing `title` (enough for content sniffing and viewers)."""
    text = title.encode("latin-1", "replace")
    text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    content = b"BT /F1 14 Tf 60 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_upload(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(title), content_type="application/pdf")


@dataclass
class _UnitPeople:
    unit: Unit
    short: str
    head: User
    operator: User
    lead: dict[int, User] = field(default_factory=dict)
    co: dict[int, list[User]] = field(default_factory=dict)


class _Names:
    """Unique Indonesian full names, deterministic for a given random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self, *, titled: bool = False) -> str:
        while True:
            female = self.rng.random() < 0.45
            first = self.rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
            name = f"{first} {self.rng.choice(LAST_NAMES)}"
            if name not in self.used:
                self.used.add(name)
                break
        if not titled:
            return name
        prefix = self.rng.choice(HEAD_PREFIXES)
        if prefix == "H. " and female:
            prefix = "Hj. "
        return f"{prefix}{name}{self.rng.choice(HEAD_SUFFIXES)}"


@dataclass
class _Moment:
    """One point of a case's history: it is back-dated after the case has been driven."""

    offset_hours: float
    events: list[int] = field(default_factory=list)
    sessions: list[int] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)
    reviews: list[int] = field(default_factory=list)
    attachments: list[int] = field(default_factory=list)
    tasks_created: list[int] = field(default_factory=list)
    tasks_finished: list[int] = field(default_factory=list)


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format(**values)


def rancang_bangun(idea: Idea, values: dict[str, str], rng: random.Random) -> str:
    """A structured rancang bangun (dasar hukum ... tahapan penggunaan) of at least 300 words."""
    laws = rng.sample(DASAR_HUKUM, 3)
    values = {**values, "hukum1": laws[0], "hukum2": laws[1], "hukum3": laws[2]}
    parts = []
    for title, sentences in RB_SECTIONS:
        parts.append(f"{title}. " + " ".join(_fill(s, values) for s in sentences))
    text = "\n\n".join(parts)
    # The templates give ~400 words; the guard needs 300, so this only protects future edits.
    while len(text.split()) < 320:
        text += " " + _fill(rng.choice(RB_SECTIONS[3][1]), values)
    return text


def last_office_moment(now: datetime) -> datetime:
    """The latest weekday office-hours moment (WITA) before `now`: the demo's history never
    shows work on a Sunday morning just because it was seeded then."""
    local = timezone.localtime(now) - timedelta(minutes=1)
    while local.weekday() >= 5 or not WORK_START_HOUR <= local.hour < WORK_END_HOUR:
        if local.weekday() < 5 and local.hour >= WORK_END_HOUR:
            local = local.replace(hour=WORK_END_HOUR - 1, minute=59, second=0)
        else:
            previous = local - timedelta(days=1)
            local = previous.replace(hour=WORK_END_HOUR - 1, minute=59, second=0)
    return local


class _Seeder:
    def __init__(self, *, innovations: int, password: str, seed: int, now: datetime) -> None:
        self.total = innovations
        self.password = password
        self.rng = random.Random(seed)
        self.now = now
        self.latest = last_office_moment(now)
        self.names = _Names(self.rng)
        self.people: dict[str, _UnitPeople] = {}
        self.summary = Summary()

    # --- organisation -----------------------------------------------------------------------

    def _user(self, username: str, full_name: str, *roles: str, email: bool = True) -> User:
        user = User(
            username=username,
            first_name=full_name,
            email=f"{username}@demo.kukarkab.go.id" if email else "",
        )
        user.set_password(self.password)
        user.save()
        user.groups.set([self.groups[role] for role in roles])
        self.summary.users += 1
        return user

    def organisation(self) -> None:
        ensure_roles()
        self.groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
        rows = [(code, name, kind, short) for code, name, kind, short in OPDS]
        rows += [(kecamatan_code(k), f"Kecamatan {k}", "kecamatan", k) for k in KECAMATAN]
        rows += OTHER_UNITS
        units = Unit.objects.bulk_create(
            Unit(code=code, name=name, kind=kind) for code, name, kind, _short in rows
        )
        self.summary.units = len(units)

        # Hashing one password per user would dominate the run: hash once, copy the hash.
        self.admin = self._user("admin", "Rahmawati Syamsudin, S.Kom.", Role.ADMIN)
        hashed = self.admin.password
        User.objects.filter(pk=self.admin.pk).update(is_superuser=True, is_staff=True)
        self.admin.is_superuser = self.admin.is_staff = True

        def quick_user(username: str, full_name: str, *roles: str) -> User:
            user = User.objects.create(
                username=username,
                first_name=full_name,
                email=f"{username}@demo.kukarkab.go.id",
                password=hashed,
            )
            user.groups.set([self.groups[role] for role in roles])
            self.summary.users += 1
            return user

        self.mentors = [
            quick_user(f"mentor{i}", self.names.person(titled=True), Role.MENTOR)
            for i in range(1, 7)
        ]
        self.verifiers = [
            quick_user(f"verifikator{i}", self.names.person(titled=True), Role.VERIFIER)
            for i in range(1, 3)
        ]
        quick_user("bupati", "Aji Pangeran Sofyan Alamsyah, S.H., M.H.", Role.OBSERVER)

        memberships = []
        for unit, (code, _name, _kind, short) in zip(units, rows, strict=True):
            head = quick_user(f"kepala.{code}", self.names.person(titled=True), Role.OPD_HEAD)
            operator = quick_user(f"operator.{code}", self.names.person(), Role.OPD_OPERATOR)
            memberships += [
                Membership(unit=unit, user=head, position=Membership.Position.HEAD),
                Membership(unit=unit, user=operator, position=Membership.Position.OPERATOR),
            ]
            self.people[code] = _UnitPeople(unit=unit, short=short, head=head, operator=operator)
        Membership.objects.bulk_create(memberships)

        assignments = []
        for year in YEARS:
            codes = list(self.people)
            self.rng.shuffle(codes)
            for index, code in enumerate(codes):
                lead = self.mentors[index % len(self.mentors)]
                self.people[code].lead[year] = lead
                assignments.append(
                    MentorAssignment(unit=self.people[code].unit, mentor=lead, year=year)
                )
                # A few units get a co-mentor (pendamping pendamping) as well.
                if index % 7 == 3:
                    co = self.mentors[(index + 2) % len(self.mentors)]
                    self.people[code].co[year] = [co]
                    assignments.append(
                        MentorAssignment(
                            unit=self.people[code].unit, mentor=co, year=year, is_lead=False
                        )
                    )
        MentorAssignment.objects.bulk_create(assignments)
        self.summary.assignments = len(assignments)
        # Policy snapshots are cached on user objects: load fresh ones now that roles are set.
        fresh = User.objects.in_bulk(
            [u.pk for p in self.people.values() for u in (p.head, p.operator)]
        )
        for people in self.people.values():
            people.head, people.operator = fresh[people.head.pk], fresh[people.operator.pk]
        self.urusan = {u.code: u for u in Urusan.objects.all()}
        self.indicators = {
            year: list(Indicator.objects.filter(year=year).order_by("number")) for year in YEARS
        }

    # --- which innovation where -------------------------------------------------------------

    def _ideas_for(self, code: str, kind: str) -> list[Idea]:
        return UNIT_IDEAS.get(code, []) + KIND_IDEAS.get(kind, []) + GENERIC_IDEAS

    def assign_units(self, plan: list[tuple[int, str]]) -> list[tuple[int, str, str, Idea]]:
        """Give each planned case a unit and an unused idea: every unit first, then the big ones."""
        codes = list(self.people)
        busy = [c for c in UNIT_IDEAS if c in self.people] + ["rsud-amp", "dinkes", "disdukcapil"]
        used: set[tuple[str, str]] = set()
        cases = []
        for year in YEARS:
            targets = [stage for y, stage in plan if y == year]
            self.rng.shuffle(targets)
            order = codes[:] if year == 2026 else self.rng.sample(codes, len(codes))
            pool = order + [self.rng.choice(busy) for _ in range(len(targets))]
            for stage, code in zip(targets, pool, strict=False):
                unit = self.people[code].unit
                ideas = self._ideas_for(code, unit.kind)
                fresh = [i for i in ideas if (code, i.name) not in used] or ideas
                # Prefer the unit's own ideas; generic ones are the fallback.
                idea = fresh[0] if self.rng.random() < 0.6 else self.rng.choice(fresh[:3])
                used.add((code, idea.name))
                cases.append((year, stage, code, idea))
        return cases

    # --- driving one case -------------------------------------------------------------------

    def run(self) -> Summary:
        started = time.monotonic()
        self.organisation()
        plan = plan_stages(self.total)
        for year, stage, code, idea in self.assign_units(plan):
            _CaseDriver(self, year=year, target=stage, people=self.people[code], idea=idea).drive()
        for year, spd in DEMO_SPD_SCORES.items():
            # The region's SPD comes from national statistics; the demo enters believable ones.
            scoring_services.set_spd_score(year=year, spd_score=spd)
        self.summary.innovations = Innovation.objects.count()
        counts = dict(Innovation.objects.values_list("stage").annotate(n=Count("id")).order_by())
        self.summary.by_stage = {s: counts[s] for s in Stage.values if s in counts}
        self.summary.seconds = time.monotonic() - started
        return self.summary


class _CaseDriver:
    """Walks one case to its target stage through the real services, recording its moments."""

    def __init__(
        self, seeder: _Seeder, *, year: int, target: str, people: _UnitPeople, idea: Idea
    ) -> None:
        self.s = seeder
        self.rng = seeder.rng
        self.year = year
        self.target = target
        self.p = people
        self.idea = idea
        self.mentor = people.lead[year]
        self.co = people.co.get(year, [])
        self.verifier = self.rng.choice(seeder.verifiers)
        self.moments: list[_Moment] = []
        self.hours = 0.0
        self.task_status: dict[int, str] = {}
        place = people.short
        self.values = {
            "name": idea.name.format(place=place),
            "unit": people.unit.name,
            "urusan": seeder.urusan[idea.urusan].name.lower(),
            "masalah": idea.masalah.format(place=place),
            "solusi": idea.solusi.format(place=place),
            "sasaran": idea.sasaran.format(place=place),
            "prev": str(year - 1),
        }
        self.values["sasaran_cap"] = self.values["sasaran"][:1].upper() + self.values["sasaran"][1:]

    # moments and the clock

    def _moment(self, min_h: float, max_h: float) -> _Moment:
        self.hours += self.rng.uniform(min_h, max_h)
        moment = _Moment(offset_hours=self.hours)
        self.moments.append(moment)
        return moment

    def _snapshot_tasks(self, moment: _Moment) -> None:
        statuses = dict(
            Task.objects.filter(
                process__innovationprocess__innovation_id=self.innovation.pk
            ).values_list("id", "status")
        )
        for task_id, status in statuses.items():
            before = self.task_status.get(task_id)
            if before is None:
                moment.tasks_created.append(task_id)
            if status in (STATUS.DONE, STATUS.CANCELED) and before not in (
                STATUS.DONE,
                STATUS.CANCELED,
            ):
                moment.tasks_finished.append(task_id)
        self.task_status = statuses

    def act(self, user: User, action: str, comment: str = "", gap=(8.0, 96.0)) -> None:
        moment = self._moment(*gap)
        result = workflow_services.perform_action(
            user=user, innovation_id=self.innovation.pk, action=action, comment=comment
        )
        self.innovation = result.innovation
        moment.events.append(result.event.pk)
        self._snapshot_tasks(moment)

    def edit(self, user: User, changes: dict, gap=(2.0, 48.0)) -> None:
        self._moment(*gap)
        workflow_services.update_innovation(
            user=user, innovation_id=self.innovation.pk, changes=changes
        )

    def opd_user(self) -> User:
        return self.p.operator if self.rng.random() < 0.8 else self.p.head

    # the stages

    def open(self) -> None:
        moment = self._moment(0, 0)
        idea = self.idea
        result = workflow_services.create_innovation(
            user=self.p.operator,
            unit=self.p.unit,
            year=self.year,
            profile={
                "name": self.values["name"],
                "bentuk": idea.bentuk,
                "jenis": idea.jenis,
                "inisiator": self.rng.choice(
                    [Inisiator.PERANGKAT_DAERAH] * 3 + [Inisiator.ASN, Inisiator.KEPALA_DAERAH]
                ),
                "main_urusan": self.s.urusan[idea.urusan],
            },
        )
        self.innovation = result.innovation
        moment.events.append(result.event.pk)
        self._snapshot_tasks(moment)
        trial = date(self.year - 1, self.rng.randint(3, 11), self.rng.randint(1, 28))
        self.edit(
            self.p.operator,
            {
                "inisiator_name": self.p.head.first_name,
                "tujuan": " ".join(_fill(t, self.values) for t in TUJUAN),
                "manfaat": " ".join(_fill(t, self.values) for t in MANFAAT),
                "trial_date": trial,
                "maturity": Maturity.UJI_COBA,
                "budget": Decimal(self.rng.randrange(25, 900) * 1_000_000),
                # A draft: the full 300-word rancang bangun is written during packaging.
                "rancang_bangun": "Permasalahan. "
                + _fill(RB_SECTIONS[1][1][0], self.values)
                + " Solusi. "
                + _fill(RB_SECTIONS[3][1][1], self.values),
                "related_urusan": self.rng.sample(list(self.s.urusan.values()), 2),
            },
            gap=(0.5, 4),
        )

    def proposal(self) -> None:
        self.act(self.opd_user(), "submit", gap=(24, 240))

    def proposal_gate(self, passing: bool) -> None:
        if passing and self.rng.random() < 0.25:
            self.act(self.p.head, "return", self.rng.choice(PROPOSAL_RETURNS), gap=(8, 72))
            self.edit(
                self.p.operator,
                {"manfaat": self.innovation.manfaat + " " + _fill(MANFAAT[2], self.values)},
            )
            self.act(self.opd_user(), "submit", gap=(24, 120))
        self.act(self.p.head, "approve", gap=(4, 72))

    def _session(self, mentor: User, topic: int | None = None) -> None:
        moment = self._moment(72, 240)
        title, mode = SESSION_TOPICS[
            topic if topic is not None else self.rng.randrange(len(SESSION_TOPICS))
        ]
        follow = self.rng.sample(FOLLOW_UPS, self.rng.randint(1, 2))
        session = workflow_services.log_session(
            user=mentor,
            innovation_id=self.innovation.pk,
            date=self.s.now.date(),
            mode=mode,
            topic=title,
            notes=f"Pendampingan {self.values['name']} bersama tim inovasi {self.p.unit.name}.",
            follow_ups=[
                workflow_services.FollowUpInput(description=d, due_date=self.s.now.date())
                for d in follow
            ],
        )
        moment.sessions.append(session.pk)

    def mentoring(self, passing: bool) -> None:
        sessions = self.rng.randint(1, 3) if passing else self.rng.randint(0, 2)
        for index in range(sessions):
            self._session(self.mentor, topic=index if index < 2 else None)
        if self.co and self.rng.random() < 0.7:
            self._session(self.co[0])
        if passing:
            if not sessions:
                self._session(self.mentor, topic=0)
            self.act(self.mentor, "complete", gap=(24, 120))

    def _upload(self, indicators: list[Indicator], gap=(24, 120)) -> None:
        moment = self._moment(*gap)
        for indicator in indicators:
            item = workflow_services.add_evidence(
                user=self.p.operator,
                innovation_id=self.innovation.pk,
                indicator_id=indicator.pk,
                parameter=self.rng.choice([1, 2, 2, 3, 3]),
                upload=_pdf_upload(
                    f"data-dukung-{indicator.number}.pdf",
                    f"{self.values['name']} - indikator {indicator.number}: {indicator.name}",
                ),
                description=indicator.evidence_hint or indicator.name,
            )
            moment.evidence.append(item.pk)

    def packaging(self, passing: bool, first: bool = True) -> None:
        if first:
            implementation = date(self.year - 1, 12, 1) + timedelta(days=self.rng.randint(0, 150))
            self.edit(
                self.opd_user(),
                {
                    "rancang_bangun": rancang_bangun(self.idea, self.values, self.rng),
                    "hasil": " ".join(
                        _fill(
                            t,
                            {
                                **self.values,
                                "before": str(self.rng.randint(4, 14)),
                                "after": str(self.rng.randint(1, 3)),
                                "n": f"{self.rng.randint(150, 4000):,}".replace(",", "."),
                                "skm": str(self.rng.randint(78, 96)),
                            },
                        )
                        for t in HASIL
                    ),
                    "implementation_date": min(implementation, self.s.now.date()),
                    "maturity": Maturity.PENERAPAN,
                },
                gap=(48, 240),
            )
            indicators = self.s.indicators[self.year]
            mandatory = [i for i in indicators if i.mandatory]
            optional = self.rng.sample([i for i in indicators if not i.mandatory], 3)
            if passing:
                self._upload(mandatory + optional)
            else:
                # Still packaging: some of the mandatory evidence is not there yet.
                self._upload(mandatory[: self.rng.randint(0, len(mandatory) - 1)] + optional[:1])
            if self.rng.random() < 0.3:
                moment = self._moment(2, 24)
                attachment = workflow_services.add_attachment(
                    user=self.p.operator,
                    innovation_id=self.innovation.pk,
                    kind=Attachment.Kind.ANGGARAN,
                    upload=_pdf_upload("dpa-inovasi.pdf", f"DPA {self.p.unit.name} {self.year}"),
                )
                moment.attachments.append(attachment.pk)
            if self.mentor and self.rng.random() < 0.3:
                self._session(self.mentor, topic=3)
        if passing:
            self.act(self.opd_user(), "submit", gap=(24, 96))

    def packaging_gate(self, passing: bool) -> None:
        if passing and self.rng.random() < 0.2:
            self.act(self.p.head, "return", self.rng.choice(PACKAGING_RETURNS), gap=(8, 72))
            self.act(self.opd_user(), "submit", gap=(24, 120))
        self.act(self.p.head, "approve", gap=(4, 72))

    def _review(self, items: list[EvidenceItem], invalid: set[int]) -> None:
        moment = self._moment(24, 120)
        for item in items:
            bad = item.pk in invalid
            workflow_services.review_evidence(
                user=self.verifier,
                evidence_id=item.pk,
                valid=not bad,
                note=self.rng.choice(INVALID_NOTES) if bad else "",
            )
            moment.reviews.append(item.pk)

    def verification(self, passing: bool) -> None:
        pending = list(
            EvidenceItem.objects.filter(
                innovation=self.innovation, review=EvidenceItem.Review.PENDING
            ).select_related("indicator")
        )
        if not passing:
            # Part-way through the desk check.
            self._review(pending[: len(pending) // 2], set())
            return
        if self.rng.random() < 0.3:
            mandatory = [i for i in pending if i.indicator.mandatory]
            bad = self.rng.sample(mandatory, self.rng.randint(1, 2))
            self._review(pending, {i.pk for i in bad})
            self.act(
                self.verifier,
                "return",
                "Perbaiki data dukung yang ditandai tidak valid.",
                gap=(2, 24),
            )
            self._upload([i.indicator for i in bad], gap=(48, 168))
            self.packaging(passing=True, first=False)
            self.packaging_gate(passing=True)
            pending = list(
                EvidenceItem.objects.filter(
                    innovation=self.innovation, review=EvidenceItem.Review.PENDING
                )
            )
        self._review(pending, set())
        self.act(self.verifier, "accept", gap=(2, 48))

    def reporting(self, passing: bool) -> None:
        if passing or self.rng.random() < 0.5:
            beneficiaries = self.rng.randint(120, 6000)
            self.edit(
                self.opd_user(),
                {
                    "report_results": f"{self.values['name']} telah diterapkan dan dimanfaatkan "
                    f"oleh {beneficiaries} {self.values['sasaran']}. "
                    + _fill(
                        HASIL[0],
                        {**self.values, "before": str(self.rng.randint(4, 14)), "after": "1"},
                    ),
                    "report_beneficiaries": beneficiaries,
                    "report_national_ref": f"IID-{self.year}-6403-{self.innovation.pk:04d}",
                },
                gap=(48, 240),
            )
        if passing:
            self.act(self.opd_user(), "submit", gap=(24, 96))

    def report_gate(self, passing: bool) -> None:
        if passing and self.rng.random() < 0.2:
            self.act(self.p.head, "return", self.rng.choice(REPORT_RETURNS), gap=(8, 72))
            self.act(self.opd_user(), "submit", gap=(24, 96))
        self.act(self.p.head, "approve", gap=(4, 72))

    def close(self) -> None:
        self.act(self.s.admin, "close", gap=(24, 240))

    def drive(self) -> None:
        self.open()
        cancel = self.target in (Stage.REJECTED, Stage.WITHDRAWN)
        stop = (
            self.rng.choice([Stage.PROPOSAL_GATE, Stage.MENTORING, Stage.PACKAGING])
            if cancel
            else self.target
        )
        steps = {
            Stage.PROPOSAL: lambda passing: self.proposal() if passing else None,
            Stage.PROPOSAL_GATE: self.proposal_gate,
            Stage.MENTORING: self.mentoring,
            Stage.PACKAGING: self.packaging,
            Stage.PACKAGING_GATE: self.packaging_gate,
            Stage.VERIFICATION: self.verification,
            Stage.REPORTING: self.reporting,
            Stage.REPORT_GATE: self.report_gate,
            Stage.CLOSE: lambda passing: self.close() if passing else None,
        }
        for stage in PATH[: PATH.index(stop) + 1]:
            if stage == Stage.DONE:
                break
            passing = stage != stop
            if not passing and stage in (
                Stage.PROPOSAL_GATE,
                Stage.PACKAGING_GATE,
                Stage.REPORT_GATE,
            ):
                # A case waiting at a gate may have been returned once already.
                if self.rng.random() < 0.3:
                    gate_returns = {
                        Stage.PROPOSAL_GATE: (PROPOSAL_RETURNS, "proposal"),
                        Stage.PACKAGING_GATE: (PACKAGING_RETURNS, "packaging"),
                        Stage.REPORT_GATE: (REPORT_RETURNS, "reporting"),
                    }[stage]
                    self.act(self.p.head, "return", self.rng.choice(gate_returns[0]), gap=(8, 72))
                    self.act(self.opd_user(), "submit", gap=(24, 120))
                break
            steps[stage](passing)
            if not passing:
                break
        if self.target == Stage.REJECTED:
            self.act(self.s.admin, "reject", self.rng.choice(REJECT_REASONS), gap=(24, 240))
        elif self.target == Stage.WITHDRAWN:
            self.act(self.p.head, "withdraw", self.rng.choice(WITHDRAW_REASONS), gap=(24, 240))
        assert self.innovation.stage == self.target, (self.innovation.stage, self.target)
        self.backdate()

    # --- timestamps -------------------------------------------------------------------------

    def _window(self) -> tuple[datetime, datetime]:
        """Earliest start and latest end of this case's timeline."""
        tz = timezone.get_current_timezone()
        start = datetime(self.year, 1, 6, 8, tzinfo=tz)
        end = min(datetime(self.year, 12, 19, 16, tzinfo=tz), self.s.latest - timedelta(hours=2))
        return start, end

    def _times(self) -> list[datetime]:
        start, end = self._window()
        span = self.moments[-1].offset_hours
        room = (end - start).total_seconds() / 3600
        scale = min(1.0, room / span) if span else 1.0
        if self.innovation.is_open and self.year == max(YEARS):
            # Open cases of the running year moved recently: end within the last weeks.
            last = end - timedelta(days=self.rng.uniform(0, 40))
            first = max(start, last - timedelta(hours=span * scale))
        else:
            slack = max(0.0, room - span * scale)
            first = start + timedelta(hours=self.rng.uniform(0, slack))
        times = []
        previous = None
        for moment in self.moments:
            at = first + timedelta(hours=moment.offset_hours * scale)
            at = self._office_hours(at)
            if previous and at <= previous:
                at = previous + timedelta(minutes=self.rng.randint(5, 50))
            times.append(min(at, self.s.latest))
            previous = at
        return times

    def _office_hours(self, at: datetime) -> datetime:
        local = timezone.localtime(at)
        while local.weekday() >= 5:
            local += timedelta(days=1)
        if not WORK_START_HOUR <= local.hour < WORK_END_HOUR:
            local = local.replace(hour=self.rng.randint(WORK_START_HOUR, WORK_END_HOUR - 1))
        return local.replace(minute=self.rng.randint(0, 59), second=self.rng.randint(0, 59))

    def _backdate_visits(self, events: list[CaseEvent]) -> None:
        """Put each stage visit on its event's time and recompute its clock, so the demo has
        believable cycle times and some cases due soon or overdue."""
        visits = list(StageVisit.objects.filter(innovation_id=self.innovation.pk).order_by("pk"))
        clocked = [event for event in events if event.to_stage in DEFAULT_SLA_DAYS]
        # Every event that opened a visit is followed by the event that closed it (if any).
        closing = {
            event.pk: following.at for event, following in zip(events, events[1:], strict=False)
        }
        for visit, event in zip(visits, clocked, strict=True):
            fresh = deadlines.new_visit(
                innovation_id=self.innovation.pk, year=self.year, stage=visit.stage, at=event.at
            )
            for name in ("entered_at", "sla_days", "due_date", "remind_on", "escalate_on"):
                setattr(visit, name, getattr(fresh, name))
            visit.next_alert_on, visit.alerts_sent = fresh.next_alert_on, 0
            if visit.left_at is not None:
                visit.left_at = closing[event.pk]
        StageVisit.objects.bulk_update(
            visits,
            [
                "entered_at",
                "left_at",
                "sla_days",
                "due_date",
                "remind_on",
                "escalate_on",
                "next_alert_on",
                "alerts_sent",
            ],
        )

    def backdate(self) -> None:
        """Move this case's timestamps onto a believable timeline (timestamps only)."""
        times = self._times()
        events, tasks, created_at = {}, {}, {}
        for moment, at in zip(self.moments, times, strict=True):
            for pk in moment.events:
                events[pk] = at
            for pk in moment.tasks_created:
                tasks.setdefault(pk, {})["created"] = at
            for pk in moment.tasks_finished:
                tasks.setdefault(pk, {})["finished"] = at
            for pk in moment.sessions:
                session_day = timezone.localtime(at).date()
                MentoringSession.objects.filter(pk=pk).update(date=session_day, created_at=at)
                FollowUp.objects.filter(session_id=pk).update(
                    due_date=session_day + timedelta(days=self.rng.randint(7, 21))
                )
            if moment.evidence:
                EvidenceItem.objects.filter(pk__in=moment.evidence).update(uploaded_at=at)
            if moment.reviews:
                EvidenceItem.objects.filter(pk__in=moment.reviews).update(reviewed_at=at)
            if moment.attachments:
                Attachment.objects.filter(pk__in=moment.attachments).update(uploaded_at=at)
            created_at.setdefault("first", at)
        rows = list(CaseEvent.objects.filter(pk__in=events))
        for row in rows:
            row.at = events[row.pk]
        CaseEvent.objects.bulk_update(rows, ["at"])
        self._backdate_visits(sorted(rows, key=lambda row: row.pk))
        task_rows = list(Task.objects.filter(pk__in=tasks))
        for task in task_rows:
            stamps = tasks[task.pk]
            task.created = stamps.get("created", task.created)
            if task.assigned:
                task.assigned = task.created
            if "finished" in stamps:
                task.finished = stamps["finished"]
                if task.started:
                    task.started = task.finished
        Task.objects.bulk_update(task_rows, ["created", "assigned", "started", "finished"])
        process = InnovationProcess.objects.get(innovation_id=self.innovation.pk)
        process.created = times[0]
        if process.finished:
            process.finished = times[-1]
        InnovationProcess.objects.filter(pk=process.pk).update(
            created=process.created, finished=process.finished
        )
        Innovation.objects.filter(pk=self.innovation.pk).update(
            created_at=times[0], updated_at=times[-1]
        )


def seed(
    *,
    innovations: int = DEFAULT_INNOVATIONS,
    password: str = DEFAULT_PASSWORD,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
) -> Summary:
    """Create the demo organisation and drive `innovations` cases through the real services.

    All or nothing (one transaction); the caller checks that the database has no units yet.
    """
    with transaction.atomic():
        return _Seeder(
            innovations=innovations, password=password, seed=seed, now=now or timezone.now()
        ).run()
