"""Placeholder: filled in by the staff_tests pages."""

urlpatterns = []
