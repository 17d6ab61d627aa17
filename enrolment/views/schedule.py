"""Views: schedule."""

urlpatterns = []
