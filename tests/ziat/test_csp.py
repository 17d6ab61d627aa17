"""Content-Security-Policy: every page carries it; no inline code runs without the page's nonce."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("url", ["/", "/programs/", "/schedule/", "/accounts/login/", "/no-such-page/"])
def test_pages_carry_the_content_security_policy(client, db, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert re.search(r"script-src 'self'", policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_every_inline_script_and_style_of_the_templates_has_the_nonce():
    for path in TEMPLATES.rglob("*.html"):
        if "documents" in path.parts:
            continue  # rendered into PDFs, never served as pages
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            assert 'nonce="{{ csp_nonce }}"' in tag or "src=" in tag, f"{path}: {tag}"


def test_no_template_has_inline_event_handlers_or_style_attributes():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if "documents" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text) or re.search(r"\sstyle\s*=\s*[\"']", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_a_served_inline_script_carries_the_headers_nonce(db):
    from django.http import HttpResponse
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.template import engines
    from django.test import RequestFactory

    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}"></script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    request = RequestFactory().get("/")
    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
