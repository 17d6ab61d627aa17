from django.urls import path

from . import staff_views, views

app_name = "certificates"

urlpatterns = [
    path("verify/<str:token>/", views.verify, name="verify"),
    path("cabinet/certificates/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("cabinet/certificates/<int:pk>/appendix.pdf", views.appendix_pdf, name="appendix_pdf"),
    path("staff/certificates/<int:pk>/", views.certificate_staff, name="certificate_staff"),
    path("staff/certificates/<int:pk>/history/", views.certificate_history, name="certificate_history"),
    path(
        "staff/certificates/cohorts/<int:cohort_pk>/",
        staff_views.cohort_certificates,
        name="cohort_certificates",
    ),
    path("staff/certificates/<int:pk>/revoke/", staff_views.certificate_revoke_form, name="certificate_revoke"),
    path(
        "staff/certificates/<int:pk>/duplicate/", staff_views.certificate_duplicate_form, name="certificate_duplicate"
    ),
    path("staff/certificates/<int:pk>/reissue/", staff_views.certificate_reissue_form, name="certificate_reissue"),
    path("staff/certificates/", staff_views.register, name="register"),
    path("staff/certificates/export/", staff_views.register_export, name="register_export"),
    path(
        "cabinet/certificates/duplicates/<int:pk>/certificate.pdf",
        views.duplicate_certificate_pdf,
        name="duplicate_certificate_pdf",
    ),
    path(
        "cabinet/certificates/duplicates/<int:pk>/appendix.pdf",
        views.duplicate_appendix_pdf,
        name="duplicate_appendix_pdf",
    ),
]
