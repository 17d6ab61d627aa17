"""The enrolment pages: partners' requests, applications, admission, payments, schedule, movements."""

from .views import admission, applications, cabinet, requests, schedule

app_name = "enrolment"

urlpatterns = [
    *requests.urlpatterns,
    *applications.urlpatterns,
    *admission.urlpatterns,
    *schedule.urlpatterns,
    *cabinet.urlpatterns,
]
