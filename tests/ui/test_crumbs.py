"""Breadcrumbs: every crumb is an element with text (the separator is drawn by CSS before
every crumb but the first), so no page shows an empty crumb, a leading slash or a
doubled one."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from .test_pages import pages

pytestmark = pytest.mark.django_db


class _Crumbs(HTMLParser):
    """The children of each <div class="crumbs">: (tag, text) per element, and any bare text between them."""

    def __init__(self):
        super().__init__()
        self.trails, self.depth, self.stray = [], 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0 and tag == "div" and "crumbs" in (dict(attrs).get("class") or "").split():
            self.trails.append([])
            self.depth = 1
        elif self.depth:
            if self.depth == 1:
                self.trails[-1].append([tag, ""])
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth == 1 and data.strip():
            self.stray.append(data.strip())
        elif self.depth > 1:
            self.trails[-1][-1][1] += data


def _trails(html):
    parser = _Crumbs()
    parser.feed(html)
    return parser.trails, parser.stray


def test_the_separator_is_drawn_between_crumbs_only():
    css = Path("core/ui/static/ui/app.css").read_text()
    assert re.search(r"\.crumbs > \* \+ \*::before\s*{[^}]*content: \"/\"", css)
    assert ".crumbs > :empty { display: none; }" in css
    assert not re.search(r"\.crumbs span::before", css)  # would put a slash before a first crumb


def test_no_page_has_an_empty_or_hand_separated_crumb(world, client_for):
    client = client_for(world["users"]["hq_dev"])
    urls = [*pages(world), reverse("city:dashboard"), reverse("city:cameras"), reverse("city:events"),
            reverse("city:scheduler"), reverse("finance:dashboard"), reverse("manufacturing:stations")]
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        trails, stray = _trails(response.content.decode())
        assert not stray, (url, stray)
        for trail in trails:
            seen += 1
            assert trail and all(text.strip() for _, text in trail), (url, trail)
    assert seen >= 10  # the parser really saw the trails (home, the model list and jobs have none)
