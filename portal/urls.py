from django.urls import path
from django.views.generic import RedirectView

from . import files

app_name = "portal"
urlpatterns = [
    path("innovations/<int:pk>/", RedirectView.as_view(url="/"), name="innovation-detail"),
    path("files/evidence/<int:pk>/", files.evidence_file, name="evidence-file"),
    path("files/attachments/<int:pk>/", files.attachment_file, name="attachment-file"),
]
