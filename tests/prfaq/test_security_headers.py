import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_send_a_nonce_csp_and_use_no_inline_script_or_style(client, login, member):
    for response in [client.get(reverse("login")), login(member).get(reverse("dashboard"))]:
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert "script-src 'self' 'nonce-" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        html = response.content.decode()
        assert "style=" not in html
        assert "<style" not in html
        for tag in re.findall(r"<script[^>]*>", html):
            assert f'nonce="{nonce}"' in tag
            assert "src=" in tag
        assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', html)
        assert response["X-Frame-Options"] == "DENY"


def test_htmx_is_served_by_us_not_a_cdn(login, member):
    html = login(member).get(reverse("dashboard")).content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert any("htmx" in src for src in scripts)
    assert all(src.startswith("/static/") for src in scripts)
