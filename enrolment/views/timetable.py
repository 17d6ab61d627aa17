"""Views: timetable."""

urlpatterns = []
