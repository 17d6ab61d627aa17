"""The post-course support's pages: the support year (plan, consultations, publications, events) and the
follow-up questionnaires with the schools' observations."""

from . import followup_views, support_views

app_name = "postcourse"

urlpatterns = [*support_views.urlpatterns, *followup_views.urlpatterns]
