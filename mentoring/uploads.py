"""Checking uploaded evidence by its content, not by its name.

The content decides everything the name used to: whether the file is accepted, the extension
it is stored and downloaded with (a PDF named `.hta` is a `.pdf`), and for zip containers
(OOXML, ODF) how large it may grow when opened.
"""

import uuid
import zipfile
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from core.errors import GuardFailed

# Content types accepted as evidence (data dukung) and the extension each is stored with:
# PDF, images, office documents, MP4 video.
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "video/mp4": "mp4",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
ALLOWED_TYPES = set(EXTENSIONS)
# Office formats that are zip archives underneath (their size opened is checked).
ZIP_CONTAINERS = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
# The name a person gave their file is kept for display, cut to the column's length.
NAME_MAX_CHARS = 255


def extension_for(content_type: str) -> str:
    return EXTENSIONS.get(content_type, "bin")


def display_name(name: str, content_type: str) -> str:
    """The person's name for the file with the extension its content has."""
    stem = PurePosixPath(name.replace("\\", "/")).stem.strip() or "berkas"
    extension = extension_for(content_type)
    return f"{stem[: NAME_MAX_CHARS - len(extension) - 1]}.{extension}"


def stored_name(content_type: str) -> str:
    """A fresh name for the stored copy: nothing of the person's name reaches the disk (no
    255-byte limit to hit, no extension a server might act on)."""
    return f"{uuid.uuid4().hex}.{extension_for(content_type)}"


def sniff_content_type(upload: UploadedFile) -> str | None:
    """The content type the file's bytes say it is, or None when unknown."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None and head.startswith(b"PK"):
        # OOXML/ODF containers name their type deeper in the zip than the first 8 KiB may reach.
        kind = filetype.guess(upload.read())
        upload.seek(0)
    return kind.mime if kind else None


def inflated_size_error(upload: UploadedFile) -> str | None:
    """For a zip container: an error when opening it would write more than the limit (a
    small file that inflates to gigabytes), or when it is not a readable zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("Berkas dokumen rusak: isinya tidak dapat dibaca.")
    finally:
        upload.seek(0)
    limit = settings.UPLOAD_MAX_INFLATED_BYTES
    inflated = sum(member.file_size for member in members)
    if inflated > limit or len(members) > settings.UPLOAD_MAX_ARCHIVE_MEMBERS:
        return _(
            "Berkas dokumen mengembang menjadi %(size).0f MB saat dibuka, melebihi batas "
            "%(limit).0f MB."
        ) % {"size": inflated / 1024 / 1024, "limit": limit / 1024 / 1024}
    return None


def upload_errors(upload: UploadedFile | None) -> tuple[str | None, list[str]]:
    """(content type, errors) for an evidence upload."""
    if upload is None:
        return None, [_("Berkas wajib diunggah.")]
    limit = settings.UPLOAD_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        return None, [
            _("Ukuran berkas %(size).1f MB melebihi batas %(limit).0f MB.")
            % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024}
        ]
    content_type = sniff_content_type(upload)
    if content_type not in ALLOWED_TYPES:
        return None, [
            _(
                "Jenis berkas tidak diterima (isi berkas: %(type)s). "
                "Unggah PDF, gambar, dokumen perkantoran atau MP4."
            )
            % {"type": content_type or _("tidak dikenal")}
        ]
    if EXTENSIONS[content_type] in ZIP_CONTAINERS and (error := inflated_size_error(upload)):
        return None, [error]
    return content_type, []


def stored_file_fields(upload: UploadedFile | None, *, field: str) -> dict:
    """The CaseFile fields for an accepted upload; GuardFailed naming `field` otherwise."""
    content_type, errors = upload_errors(upload)
    if errors or upload is None:
        raise GuardFailed(errors[0], fields={field: errors})
    assert content_type is not None
    original = (upload.name or "")[:NAME_MAX_CHARS]
    upload.name = stored_name(content_type)
    return {
        "file": upload,
        "original_name": original,
        "content_type": content_type,
        "size": upload.size,
    }


def delete_after_commit(file: FieldFile) -> None:
    """Remove a stored file once the transaction that dropped its row has committed (a rollback
    keeps it, and the row still names it)."""
    storage, name = file.storage, file.name
    if not file or not name:
        return
    transaction.on_commit(lambda: storage.delete(name))
