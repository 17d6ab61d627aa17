"""Views: admission."""

urlpatterns = []
