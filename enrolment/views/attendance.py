"""Views: attendance."""

urlpatterns = []
