from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionConfig(AppConfig):
    """The national IID submission: the board for the reporting window, the entries made in the
    ministry's portal, and the upload package."""

    name = "submission"
    verbose_name = _("Pengajuan IID nasional")
