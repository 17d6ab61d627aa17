from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from . import calendar_views, views
from .storage import stored_file

# Uploaded documents have no public address in any mode: each is served by a view that checks access, or by a
# link that expires, written only into a page its reader may open (ziat/storage.py).
urlpatterns = [
    # First: the verification page a scanned QR code opens is the busiest public address.
    path("", include("certificates.urls")),
    path("", views.home, name="home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/calendar/", calendar_views.calendar_year, name="calendar"),
    path("staff/calendar/<int:pk>/withdraw/", calendar_views.calendar_withdraw, name="calendar_withdraw"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path("files/<str:token>/", stored_file, name="stored_file"),
    # The language is a preference kept in a cookie: a forged post could only switch a visitor's interface
    # language. Without a CSRF token in the switcher, public pages set no cookie for visitors who post nothing.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("monitoring/", include("monitoring.urls")),
    path("", include("postcourse.urls")),
    path("", include("programs.urls")),
    path("", include("enrolment.urls")),
    path("", include("assessment.urls")),
]

handler403 = "ziat.refusals.permission_denied"
handler500 = "ziat.views.server_error"
