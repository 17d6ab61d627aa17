"""The enrolment pages: partners' requests, applications, admission, payments, schedule, movements."""

from .views import (
    admission,
    applications,
    attendance,
    cabinet,
    listeners,
    messages,
    planning,
    requests,
    schedule,
    timetable,
    trainers,
)

app_name = "enrolment"

urlpatterns = [
    *requests.urlpatterns,
    *applications.urlpatterns,
    *admission.urlpatterns,
    *schedule.urlpatterns,
    *cabinet.urlpatterns,
    *trainers.urlpatterns,
    *planning.urlpatterns,
    *listeners.urlpatterns,
    *timetable.urlpatterns,
    *attendance.urlpatterns,
    *messages.urlpatterns,
]
