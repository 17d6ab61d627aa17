"""Placeholder: filled in by the project pages."""

urlpatterns = []
