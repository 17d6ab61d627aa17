from django.urls import path

from . import staff_views, verify_views, views

app_name = "certificates"

# The public verification comes first: ziat/urls.py includes these patterns before all others, so that a
# scanned QR code's address is resolved at once.
urlpatterns = [
    path("verify/key/", verify_views.public_key, name="public_key"),
    path("verify/key.pem", verify_views.public_key_pem, name="public_key_pem"),
    path("verify/key.json", verify_views.public_key_json, name="public_key_json"),
    path("verify/<str:token>/", verify_views.verify, name="verify"),
    path("verify/<path:token>.json", verify_views.verify_json, name="verify_json"),
    path("verify/", verify_views.lookup, name="lookup"),
    path("cabinet/certificates/<int:pk>/badge.json", verify_views.badge, name="badge"),
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
]
