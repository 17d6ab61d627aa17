"""Views: applications."""

urlpatterns = []
