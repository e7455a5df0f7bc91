from django.urls import path
from django.views.generic import RedirectView

app_name = "portal"
urlpatterns = [
    path("innovations/<int:pk>/", RedirectView.as_view(url="/"), name="innovation-detail")
]
