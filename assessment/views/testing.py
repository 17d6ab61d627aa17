"""Placeholder: filled in by the testing pages."""

urlpatterns = []
