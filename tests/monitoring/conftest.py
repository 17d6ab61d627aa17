import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are matched in the source language here; the kk and ru catalogues are checked on their own."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
