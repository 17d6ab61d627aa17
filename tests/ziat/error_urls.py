"""The project's URLs plus views that fail, for the tests of the error pages."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from ziat.urls import handler403, handler500
from ziat.urls import urlpatterns as project_urlpatterns


def fails(request):
    raise RuntimeError("a failure for the test")


def refuses(request):
    raise PermissionDenied


def bad(request):
    raise BadRequest


urlpatterns = [
    path("test-errors/500/", fails),
    path("test-errors/403/", refuses),
    path("test-errors/400/", bad),
    *project_urlpatterns,
]

__all__ = ["handler403", "handler500", "urlpatterns"]
