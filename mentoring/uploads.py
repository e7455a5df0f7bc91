"""Checking uploaded evidence by its content, not by its name."""

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from core.errors import GuardFailed

# Content types accepted as evidence (data dukung): PDF, images, office documents, MP4 video.
ALLOWED_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "video/mp4",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}


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
    return content_type, []


def stored_file_fields(upload: UploadedFile | None, *, field: str) -> dict:
    """The CaseFile fields for an accepted upload; GuardFailed naming `field` otherwise."""
    content_type, errors = upload_errors(upload)
    if errors or upload is None:
        raise GuardFailed(errors[0], fields={field: errors})
    return {
        "file": upload,
        "original_name": (upload.name or "")[:255],
        "content_type": content_type,
        "size": upload.size,
    }
