"""Views: trainers."""

urlpatterns = []
