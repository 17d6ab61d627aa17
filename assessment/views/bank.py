"""Placeholder: filled in by the bank pages."""

urlpatterns = []
