from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programs/<int:pk>/diagnostics/", views.program_diagnostics_page, name="program_diagnostics"),
]
