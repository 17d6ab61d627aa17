"""Translated 400, 403, 404, 429 and 500 pages in the base layout; 500 without the database."""

import pytest
from django.test import Client
from django.utils import translation

TITLES = {
    400: "Bad request",
    403: "Access denied",
    404: "Page not found",
    500: "Something went wrong",
}
URLS = {400: "/test-errors/400/", 403: "/test-errors/403/", 404: "/no-such-page/", 500: "/test-errors/500/"}


@pytest.mark.urls("tests.ziat.error_urls")
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_error_pages_are_translated_in_the_base_layout(db, status, language):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(URLS[status])
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert f'data-status="{status}"' in html
    with translation.override(language):
        assert translation.gettext(TITLES[status]) in html
        assert translation.gettext("Catalogue of programs") in html


@pytest.mark.urls("tests.ziat.error_urls")
def test_the_500_page_asks_nothing_of_the_database(db, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-errors/500/")
    assert response.status_code == 500
    assert 'class="site-header"' in response.content.decode()
