"""Views: requests."""

urlpatterns = []
