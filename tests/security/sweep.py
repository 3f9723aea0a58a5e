"""The differential secrecy sweep: everything one observer can obtain, in two worlds.

A scenario is built twice inside one test, from scratch, in a savepoint that is rolled
back afterwards: a *quiet* world and a *busy* one that differ only in other people's
review activity. In each, `record` collects every answer the observer's signed-in
client gets (every GET route, every POST route, the notifications, the emails, the
admin when they are staff). Silent reading is airtight exactly when both recordings
are the same after `normalize` has blanked what differs between any two runs (CSRF
tokens, CSP nonces, the clock, random public keys).

`routes()` (SITE_ROUTES, ADMIN_ROUTES and every registered model's admin pages)
names each URL pattern with how to call it, or `EXCLUDED` says why not; `uncovered()`
lists any pattern in neither, so a new route fails the sweep until it is covered.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Team, User
from prfaq import document
from prfaq.models import Metric, Notification, Proposal, Revision
from reviews.models import Comment, Ring, Round
from reviews.queries import inbox, unread_count

# An id no row has in either world (ids stay small: every table starts empty).
MISSING = 987654
# A well-formed key no row has: answered like a missing one, never like a hidden one.
MADE_UP_KEY = "madeUpKey_000000"
# Words that only other people's comments and rationales contain, in the busy world.
SEARCH_WORD = "quokka"


def keyed(model: type) -> bool:
    """Whether `model` names its rows in URLs by a random `key` (else by integer id)."""
    return any(f.name == "key" for f in model._meta.get_fields())


def ref(obj: Any) -> Any:
    """What a URL or form names a comment or notification by: its key, or its id."""
    return getattr(obj, "key", obj.pk)


# --- Worlds ------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


@contextmanager
def world() -> Iterator[None]:
    """A savepoint that is always rolled back, starting from the same ids, cache and
    outbox, so two worlds built in it allocate the same primary keys."""
    # PostgreSQL sequences ignore rollbacks: move each back to its table's max(pk).
    # (SQLite's AUTOINCREMENT table rolls back with the savepoint; this returns [].)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
    cache.clear()
    del mail.outbox[:]
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass
    cache.clear()


# --- Normalization -----------------------------------------------------------------------

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_RULES: list[tuple[re.Pattern[str], str]] = [
    # CSRF tokens: form fields and the token htmx sends from <body hx-headers>.
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1CSRF"),
    (re.compile(r'("X-CSRFToken": ")[^"]*'), r"\1CSRF"),
    # CSP nonces, in script tags and in the Content-Security-Policy header.
    (re.compile(r'(nonce=")[^"]*'), r"\1NONCE"),
    (re.compile(r"'nonce-[^']*'"), "'nonce-NONCE'"),
    # The clock. ISO timestamps (datetime="...", data-countdown, admin inputs) first.
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:?\d{2}|Z)?"),
     "ISO-TIME"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "ISO-DATE"),
    # Dates: "1 Dec", "1 Dec 2026", "4 December 2026" and the admin's "Dec. 1, 2026".
    (re.compile(rf"\b\d{{1,2}} {_MONTH}(?: \d{{4}})?"), "DATE"),
    (re.compile(rf"\b{_MONTH} \d{{1,2}}, \d{{4}}"), "DATE"),
    # Times: "23:41", "23:41:05" and the admin's "11:41 p.m.", "11 p.m.", "midnight", "noon".
    (re.compile(r"\b\d{1,2}(?::\d{2})? [ap]\.m\."), "TIME"),
    (re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b"), "TIME"),
    (re.compile(r"\b(?:midnight|noon)\b"), "TIME"),
    # Django's timesince: "0\xa0minutes", "1\xa0day, 2\xa0hours".
    (re.compile(r"\d+(?:\s|&nbsp;)(?:year|month|week|day|hour|minute)s?(?:, \d+(?:\s|&nbsp;)"
                r"(?:year|month|week|day|hour|minute)s?)*"), "TIMESINCE"),
]  # fmt: skip


class KeyMap:
    """Random public keys, each named K1, K2... in order of first appearance.

    Only strings known to be keys are replaced (those in the database, and the probes):
    integers are never touched, since ids must come out the same in both worlds.
    """

    def __init__(self, keys: set[str]) -> None:
        self.names: dict[str, str] = {}
        keys = {k for k in keys if isinstance(k, str) and k}
        alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
        self.pattern = (
            # No word boundaries: pages write keys as "c-<key>", and "-" is a key letter.
            re.compile(alternatives) if keys else None
        )

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(self._name, text)

    def _name(self, match: re.Match[str]) -> str:
        return self.names.setdefault(match.group(0), f"K{len(self.names) + 1}")


def known_keys(probes: Probes) -> set[str]:
    """Every random key that can appear: comments', notifications', invitations'."""
    keys = {MADE_UP_KEY}
    for model, probed in ((Comment, probes.comments), (Notification, probes.notifications)):
        if keyed(model):  # before keys, probes are integer ids: never normalized
            keys |= {*probed, *model.objects.values_list("key", flat=True)}
    # Invitation tokens are random too (a lead's valid POST makes one).
    keys |= set(Invitation.objects.values_list("token", flat=True))
    return keys


def normalize(text: str, keys: KeyMap) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return keys(text)


# --- Recording ---------------------------------------------------------------------------

# Response headers that carry meaning besides the body (htmx navigates by HX-*).
HEADERS = ["Location", "Content-Type", "HX-Redirect", "HX-Trigger", "HX-Retarget",
           "Content-Security-Policy"]  # fmt: skip


@dataclass
class Entry:
    method: str
    url: str
    note: str
    status: int | str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    @property
    def title(self) -> str:
        return f"{self.method} {self.url}" + (f"  [{self.note}]" if self.note else "")

    def text(self) -> str:
        head = [f"{self.title}", f"status: {self.status}"]
        head += [f"{k}: {v}" for k, v in self.headers.items()]
        return "\n".join(head) + "\n\n" + self.body

    def normalized(self, keys: KeyMap) -> Entry:
        # The URL first: a key the observer asks for is named before it shows in a body.
        return Entry(
            self.method,
            keys(self.url),
            keys(self.note),
            self.status,
            {k: normalize(v, keys) for k, v in self.headers.items()},
            normalize(self.body, keys),
        )


# Rows the admin's "view on site" redirect is asked for, registered or not.
VIEW_ON_SITE_MODELS = [Round, Proposal, Comment, Notification, Team]


@dataclass
class Probes:
    """What exists only in the busy world, to ask for in both: others' comments, the
    notifications the observer cannot see (others', and their own held ones), by key
    or id, and the admin's row ids per model."""

    comments: list[Any]
    notifications: list[Any]
    admin_ids: dict[str, list[str]]

    @classmethod
    def gather(cls, observer: User) -> Probes:
        comments = [
            ref(c) for c in Comment.objects.exclude(author=observer).order_by("created", "pk")
        ]
        visible = {n.pk for n in inbox(observer, limit=10_000)}
        notifications = [
            ref(n) for n in Notification.objects.exclude(pk__in=visible).order_by("created", "pk")
        ]
        admin_ids = {}
        for model in [*admin.site._registry, *VIEW_ON_SITE_MODELS]:
            pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            # The newest rows are those only the busy world has; the oldest one too.
            admin_ids[model._meta.label_lower] = [str(pk) for pk in pks[:1] + pks[1:][-4:]]
        return cls(comments, notifications, admin_ids)


@dataclass
class Scene:
    """One built world, from the observer's side."""

    observer: User
    owner: User
    proposal: Proposal
    team: Team
    other_team: Team
    other_proposal: Proposal
    # Rounds of `proposal` the observer may reach, main one first; other rounds count
    # as hidden ones.
    rounds: list[int]
    # A membership of `team` that a lead's valid POST may change or remove.
    membership: Membership
    # POSTs that legitimately reveal everything (the observer's own *Done reading*, an
    # owner ending the reading or the round): (route name, URL kwargs) never sent.
    reveals: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


# A payload builder gives (label, form fields, sent as htmx?) for each POST to send.
Payload = Callable[["Context", dict[str, Any]], list[tuple[str, dict[str, Any], bool]]]


def data(
    label: str, fields: dict[str, Any] | Callable[[Context, dict], dict], *, hx: bool = False
) -> Payload:
    """A named POST payload; `fields` may be computed in the world at request time."""

    def build(ctx: Context, kwargs: dict[str, Any]) -> list[tuple[str, dict[str, Any], bool]]:
        return [(label, fields(ctx, kwargs) if callable(fields) else fields, hx)]

    return build


@dataclass(frozen=True)
class Route:
    """How the sweep calls one URL pattern.

    `get`: the query strings to GET it with ("" is the bare URL); empty for a POST-only
    route. `post`: payloads; the first (a valid one) is sent at the observer's own ids
    and at every hidden or missing id, the rest at the observer's own ids only.
    `args`: which value table a URL kwarg takes, where its name is ambiguous.
    `paths`: fixed paths, for patterns without a name (the admin's catch-all).
    """

    get: tuple[str, ...] = ()
    post: tuple[Payload, ...] = ()
    args: tuple[tuple[str, str], ...] = ()
    htmx: bool = True
    paths: tuple[str, ...] = ()
    admin_model: type | None = None


class Context:
    """A world during recording: the scene, the id tables, the client, the entries."""

    def __init__(self, scene: Scene, probes: Probes, capture: Callable, client: Client) -> None:
        self.scene = scene
        self.probes = probes
        self.capture = capture
        self.client = client
        self.entries: list[Entry] = []
        self.hit: set[str] = set()
        self.values = self._values()

    # The value table: per URL kwarg, (the observer's own values, others'/hidden/missing).
    def _values(self) -> dict[str, tuple[list[Any], list[Any]]]:
        s = self.scene
        p = s.proposal
        numbers = list(Round.objects.filter(proposal=p).values_list("number", flat=True))
        hidden_rounds = [n for n in numbers if n not in s.rounds] + [max(numbers, default=0) + 1]
        revisions = list(
            Revision.objects.filter(proposal=p).order_by("-number").values_list("number", flat=True)
        )
        own = [ref(c) for c in Comment.objects.filter(author=s.observer).order_by("created", "pk")]
        made_up = MADE_UP_KEY if keyed(Comment) else MISSING
        metrics = list(Metric.objects.order_by("pk").values_list("pk", flat=True))
        ring = Ring.objects.filter(team=s.team).order_by("position").first()
        other_ring = Ring.objects.filter(team=s.other_team).order_by("position").first()
        other_membership = Membership.objects.filter(team=s.other_team).order_by("pk").first()
        steps = [step.slug for step in document.STEPS]
        return {
            "proposal_id": ([p.pk], [s.other_proposal.pk, MISSING]),
            "number": (s.rounds, hidden_rounds),
            "revision": (revisions, [max(revisions) + 1]),
            "step_slug": (steps, ["no-such-step"]),
            "metric_id": (metrics[:1] or [MISSING], [MISSING] if metrics else []),
            "slug": ([s.team.slug], [s.other_team.slug, "no-such-team"]),
            "ring_id": ([ring.pk], [other_ring.pk, MISSING]),
            "membership_id": ([s.membership.pk], [other_membership.pk, MISSING]),
            "invitation_id": ([MISSING], []),
            "comment_key": (own[:1] or [made_up], own[1:] + self.probes.comments + [made_up]),
            "comment_id": (own[:1] or [made_up], own[1:] + self.probes.comments + [made_up]),
            "action": (["revise"], ["meeting-start", "no-such-action", "meeting-end", "close"]),
            "token": (["NotAnInvitationToken0000"], []),
        }

    def format(self, query: str) -> str:
        s = self.scene
        return query.format(
            search=SEARCH_WORD,
            team_pk=s.team.pk,
            first_name=s.observer.display_name.split()[0],
            newest=max(self.values["revision"][0]),
        )

    # --- requests

    def request(self, method: str, url: str, *, hx: bool = False, payload: dict | None = None,
                note: str = "") -> Any:  # fmt: skip
        headers = {"HX-Request": "true"} if hx else {}
        with self.capture(execute=True):  # so the outbox sends what a request queued
            if method == "GET":
                response = self.client.get(url, headers=headers)
            else:
                response = self.client.post(url, payload or {}, headers=headers)
        with contextlib.suppress(Resolver404):
            match = resolve(url.split("?")[0])
            self.hit.add(match.view_name if match.url_name else match.route)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        self.entries.append(
            Entry(
                method + (" htmx" if hx else ""),
                url,
                note,
                response.status_code,
                {h: response.headers[h] for h in HEADERS if h in response.headers},
                content.decode("utf-8", errors="replace"),
            )
        )
        return response

    def post(self, url: str, payload: dict, *, hx: bool = False, note: str = "") -> None:
        """POST, then GET the page it sends the browser to (its messages show there)."""
        response = self.request("POST", url, hx=hx, payload=payload, note=note)
        target = response.headers.get("HX-Redirect") or response.headers.get("Location") or ""
        if target.startswith("/") and response.status_code in {200, 301, 302, 303}:
            # A browser keeps the #fragment to itself.
            self.request("GET", target.split("#")[0], note=f"after {note}")


# --- The route table ---------------------------------------------------------------------


def _step_payload(ctx: Context, kwargs: dict) -> dict:
    """A valid save of the customer step: the saved text, one word changed."""
    current = Proposal.objects.get(pk=ctx.scene.proposal.pk).current_revision
    content = document.normalized(current.content)["customer"]
    return {
        **content,
        "who": content["who"] + " (sweep)",
        "step_hash": document.step_hash(current.content, "customer"),
        "action": "save",
    }


def _ring_payload(ctx: Context, kwargs: dict) -> dict:
    """The first ring's settings as they are, posted back (valid, changes nothing)."""
    ring = Ring.objects.filter(team=ctx.scene.team).order_by("position").first()
    prefix = f"ring{ring.pk}"
    fields = {
        "name": ring.name, "pass_rule": ring.pass_rule, "min_approvals": ring.min_approvals,
        "reading_minutes": ring.reading_minutes,
    }  # fmt: skip
    for flag in ("requires_bar_raiser", "may_kill", "for_amendments"):
        if getattr(ring, flag):
            fields[flag] = "on"
    return {"prefix": prefix, **{f"{prefix}-{k}": v for k, v in fields.items()}}


def _round_new_payload(ctx: Context, kwargs: dict) -> dict:
    someone = ctx.scene.membership.user
    due = (timezone.localdate() + timedelta(days=4)).isoformat()
    return {"mode": "async", "due": due, f"role-{someone.pk}": "reviewer",
            f"required-{someone.pk}": "on"}  # fmt: skip


def _replies(ctx: Context, kwargs: dict) -> list[tuple[str, dict, bool]]:
    """A reply to each comment the sweep knows of: own, others' (hidden), made up.
    As htmx posts: the answer is the comments panel, with the message in it."""
    valid, others = ctx.values["comment_key"]
    return [
        (f"reply to comment #{i}", {"parent": key, "body": "Sweep reply."}, True)
        for i, key in enumerate(valid + others, start=1)
    ]


def _mark_read(ctx: Context, kwargs: dict) -> list[tuple[str, dict, bool]]:
    """Mark read: others' notifications (hidden), a made-up one, then each of mine."""
    mine = [ref(n) for n in reversed(inbox(ctx.scene.observer))]  # only those they can see
    made_up = MADE_UP_KEY if keyed(Notification) else MISSING
    ids = [*ctx.probes.notifications, made_up, *mine]
    return [(f"mark notification #{i} read", {"id": n}, False) for i, n in enumerate(ids, 1)]


def _today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


PAGE = ("",)
REVISION = (("number", "revision"),)

# Every named route of the site, in the order the POSTs are sent. Those that change
# what later pages show most (removing a member, marking notifications read) come last.
SITE_ROUTES: dict[str, Route] = {
    "dashboard": Route(get=PAGE),
    "healthz": Route(get=PAGE),
    "live": Route(get=PAGE),
    # Signed in, the login page sends the observer on before reading any form.
    "login": Route(get=PAGE),
    "password_change": Route(
        get=PAGE, post=(data("wrong old password", {"old_password": "nope"}),)
    ),
    "password_change_done": Route(get=PAGE),
    "password_reset": Route(get=PAGE),
    "password_reset_done": Route(get=PAGE),
    "password_reset_complete": Route(get=PAGE),
    "team-detail": Route(get=PAGE),
    "invitation-accept": Route(get=PAGE, post=(data("accept", {}),)),
    "proposal-list": Route(
        get=("", "?q={search}", "?q=ZEBRA", "?status=in_review", "?mine=1", "?q={search}&page=2")
    ),
    "proposal-new": Route(
        get=PAGE,
        post=(
            data("create", lambda ctx, kw: {"team": ctx.scene.team.pk, "title": "Sweep idea"}),
            data("no title", lambda ctx, kw: {"team": ctx.scene.team.pk, "title": ""}),
        ),
    ),
    "proposal-import": Route(
        get=PAGE,
        post=(
            data(
                "preview",
                lambda ctx, kw: {"team": ctx.scene.team.pk, "text": "# Sweep\n\nCustomer: people."},
            ),
            data("nothing", {}),
        ),
    ),
    "proposal-memo": Route(get=PAGE),
    "proposal-step": Route(
        get=PAGE, post=(data("save", _step_payload), data("stale base", {"step_hash": "x"}))
    ),
    "markdown-preview": Route(post=(data("preview", {"field": "text", "text": "*Sweep*"}),)),
    "proposal-history": Route(get=PAGE),
    "proposal-diff": Route(get=("?a=1&b={newest}", "", "?a={newest}&b={newest}&all=1")),
    "revision-detail": Route(get=PAGE, args=REVISION),
    "revision-export": Route(get=PAGE, args=REVISION),
    "revision-restore": Route(post=(data("restore", {}),), args=REVISION),
    "proposal-owner": Route(
        post=(
            data("same owner", lambda ctx, kw: {"owner": ctx.scene.owner.pk}),
            data("no such owner", {"owner": MISSING}),
        )
    ),
    "proposal-submit": Route(post=(data("submit", {}),)),
    "finding-acknowledge": Route(
        post=(
            data("keep", {"key": "sweep", "reason": "Because."}),
            data("no reason", {"key": "sweep", "reason": ""}),
        )
    ),
    "proposal-withdraw": Route(
        post=(data("withdraw", {"note": "Sweep withdraws."}), data("no note", {"note": ""}))
    ),
    "proposal-unplaced-clear": Route(post=(data("clear", {}),)),
    "review-queue": Route(get=PAGE),
    "round-new": Route(
        get=("", "?q={first_name}"),
        post=(data("open", _round_new_payload), data("nothing", {})),
    ),
    "round-detail": Route(get=("", "?part=comments")),
    "reading-start": Route(post=(data("start", {}),)),
    # The observer's own *Done reading* is in every scene's `reveals`: never sent here.
    "reading-done": Route(post=(data("done", {}),)),
    "comment-create": Route(
        post=(
            data("draft", {"section": "general", "body": "Sweep note."}),
            data("draft", {"section": "general", "body": "Sweep note, htmx."}, hx=True),
            data("empty", {"section": "general", "body": ""}),
            data("quote not there", {"section": "customer.who", "quote": "zzz", "body": "x"}),
            data("no such section", {"section": "nowhere", "body": "x"}),
            _replies,
        )
    ),
    "comment-resolve": Route(
        post=(data("resolve", {"resolve": "1"}), data("reopen", {"resolve": "0"}))
    ),
    "decision-record": Route(
        post=(
            data("approve", {"decision": "approve", "rationale": "Sweep approves."}),
            data("no such decision", {"decision": "maybe"}),
            data("changes without a reason", {"decision": "request_changes"}),
        )
    ),
    "round-action": Route(post=(data("act", {}),)),
    "funnel": Route(get=("", "?team={team_pk}")),
    "proposal-contract": Route(get=("", "?v=1")),
    "proposal-launch": Route(
        post=(
            data("launch", lambda ctx, kw: {"launched_on": _today(), "review_on": _today(90)}),
            data("no dates", {}),
        )
    ),
    "proposal-outcome": Route(
        post=(data("measure", {"verdict": "yes", "evidence": "Sweep."}), data("nothing", {}))
    ),
    "metric-reading": Route(
        post=(data("reading", lambda ctx, kw: {"date": _today(), "value": "1"}),)
    ),
    "team-invite": Route(
        post=(
            data("invite", {"email": "newcomer@example.com", "role": "member"}),
            data("bad email", {"email": "nope", "role": "member"}),
        )
    ),
    "ring-update": Route(post=(data("same settings", _ring_payload), data("no name", {}))),
    "invitation-revoke": Route(post=(data("revoke", {}),)),
    "membership-role": Route(
        post=(data("member", {"role": "member"}), data("no such role", {"role": "boss"}))
    ),
    "membership-remove": Route(post=(data("remove", {}),)),
    "notifications": Route(get=PAGE, post=(_mark_read, data("all", {}))),
}

EXCLUDED: dict[str, str] = {
    "logout": "POST ends the observer's session (GET is refused); it shows nothing",
    "admin:logout": "POST ends the observer's session (GET is refused); it shows nothing",
    "password_reset_confirm": "its uidb64/token pair is a credential minted per request; "
    "the page is a password form that shows nothing of reviews",
}

# The admin's own views besides the per-model ones. Admin POSTs are not sent: a
# superuser may change any row by design, and each write form's GET (change, delete
# confirmation) is swept, which is where a row's existence and contents would show.
ADMIN_ROUTES: dict[str, Route] = {
    "admin:index": Route(get=PAGE, htmx=False),
    "admin:login": Route(get=PAGE, htmx=False),
    "admin:password_change": Route(get=PAGE, htmx=False),
    "admin:password_change_done": Route(get=PAGE, htmx=False),
    "admin:jsi18n": Route(get=PAGE, htmx=False),
    "admin:autocomplete": Route(
        get=(
            "?app_label=accounts&model_name=membership&field_name=user&term=a",
            "?app_label=accounts&model_name=membership&field_name=user&term={search}",
        ),
        htmx=False,
    ),
    "admin:view_on_site": Route(get=PAGE, htmx=False),
    "admin:app_list": Route(get=PAGE, htmx=False),
    "admin/(?P<url>.*)$": Route(
        paths=("/admin/no-such-page/", "/admin/reviews/comment/", "/admin/prfaq/event/"),
        htmx=False,
    ),
    "admin:auth_user_password_change": Route(get=PAGE, htmx=False),
}

ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")


def admin_model_routes() -> dict[str, Route]:
    """The five views (and the bare object URL) of every model registered in the admin.

    Generated, not listed: each is swept for every registered model, so registering a
    model covers its pages; any other admin view must be added to ADMIN_ROUTES.
    """
    routes = {}
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        searchable = bool(model_admin.search_fields)
        for view in ADMIN_MODEL_VIEWS:
            search = view == "changelist" and searchable
            routes[f"admin:{info}_{view}"] = Route(
                get=("", "?q={search}", "?q=mention", "?q=ZEBRA") if search else PAGE,
                htmx=False,
                admin_model=model,
            )
        bare = f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        routes[bare] = Route(get=PAGE, htmx=False, admin_model=model)
    return routes


def routes() -> dict[str, Route]:
    return {**SITE_ROUTES, **ADMIN_ROUTES, **admin_model_routes()}


def url_patterns(
    patterns: list | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(name, full route, pattern) of every URL pattern, the admin's nested ones too.
    A pattern without a name is named by its route."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            route = prefix + str(p.pattern)
            yield (f"{namespace}{p.name}" if p.name else route), route, p


def uncovered() -> set[str]:
    """URL patterns that are neither swept nor excluded with a reason."""
    table = routes()
    return {name for name, _, _ in url_patterns() if name not in table and name not in EXCLUDED}


def converters(name: str) -> list[str]:
    for n, _, pattern in url_patterns():
        if n == name:
            return list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
    raise KeyError(name)


# --- Sweeping ----------------------------------------------------------------------------


def kwarg_variants(ctx: Context, name: str, route: Route, *, post: bool) -> list[tuple[dict, bool]]:
    """(URL kwargs, the observer's own?): their own ids first, then one kwarg at a time
    replaced by each other value: their other ids (GET only), then others', hidden and
    missing ones."""
    args = dict(route.args)
    names = converters(name)
    table = {k: ctx.values[args.get(k, k)] for k in names}
    base = {k: table[k][0][0] for k in names}
    variants = [(base, True)]
    for k in names:
        own, others = table[k]
        variants += [({**base, k: v}, True) for v in ([] if post else own[1:])]
        variants += [({**base, k: v}, False) for v in others]
    return variants


def _revealing(ctx: Context, name: str, kwargs: dict) -> bool:
    return any(
        name == n and all(kwargs.get(k) == v for k, v in kw.items()) for n, kw in ctx.scene.reveals
    )


def sweep_gets(ctx: Context) -> None:
    for name, route in SITE_ROUTES.items():
        if not route.get:
            continue
        for i, (kwargs, own) in enumerate(kwarg_variants(ctx, name, route, post=False)):
            url = reverse(name, kwargs=kwargs)
            # Every query string at the observer's own ids, the first one elsewhere; as
            # a page and as an htmx fragment where the observer may look (elsewhere the
            # answer is the 404 page, the same in both worlds but for its header).
            for query in route.get if i == 0 else route.get[:1]:
                for hx in (False, True) if route.htmx and own else (False,):
                    ctx.request("GET", url + ctx.format(query), hx=hx)


def sweep_posts(ctx: Context) -> None:
    for name, route in SITE_ROUTES.items():
        if not route.post:
            continue
        for i, (kwargs, _) in enumerate(kwarg_variants(ctx, name, route, post=True)):
            if _revealing(ctx, name, kwargs):
                continue
            url = reverse(name, kwargs=kwargs)
            for payload in route.post if i == 0 else route.post[:1]:
                for label, fields, hx in payload(ctx, kwargs):
                    ctx.post(url, fields, hx=hx, note=label)


def admin_urls(ctx: Context, name: str, route: Route) -> list[str]:
    """The URLs of one admin route: for each registered model's pages, every row id
    the busy world has (so rows that exist only there are asked for) and a missing one."""
    if route.paths:
        return list(route.paths)
    if name == "admin:app_list":
        labels = sorted({m._meta.app_label for m in admin.site._registry})
        return [reverse(name, kwargs={"app_label": label}) for label in labels]
    if name == "admin:view_on_site":
        urls = []
        for model in VIEW_ON_SITE_MODELS:
            ct = ContentType.objects.get_for_model(model)
            ids = ctx.probes.admin_ids[model._meta.label_lower]
            urls += [reverse(name, args=[ct.pk, pk]) for pk in [*ids, MISSING]]
        return urls
    if name == "admin:auth_user_password_change":
        return [reverse(name, args=[ctx.scene.owner.pk]), reverse(name, args=[MISSING])]
    model = route.admin_model
    if model is None or name.endswith(("_changelist", "_add")):
        return [reverse(name)]
    ids = [*ctx.probes.admin_ids.get(model._meta.label_lower, []), str(MISSING)]
    if name.startswith("admin:"):
        return [reverse(name, args=[pk]) for pk in ids]
    return [f"/admin/{model._meta.app_label}/{model._meta.model_name}/{quote(pk)}/" for pk in ids]


def sweep_admin(ctx: Context) -> None:
    """Every admin page. Anyone but staff is sent to the admin's login before any
    lookup, so for them one URL of each route (with a missing id) is enough."""
    staff = ctx.scene.observer.is_staff
    for name, route in {**ADMIN_ROUTES, **admin_model_routes()}.items():
        urls = admin_urls(ctx, name, route)
        for url in urls if staff else urls[-1:]:
            for query in (route.get or PAGE) if staff else PAGE:
                ctx.request("GET", url + ctx.format(query))


def sweep_inbox(ctx: Context) -> None:
    """The notifications page, the unread count and the mail the observer received."""
    observer = ctx.scene.observer
    ctx.request("GET", reverse("notifications"), note="inbox at the end")
    ctx.entries.append(Entry("COUNT", "unread notifications", "", body=str(unread_count(observer))))
    for i, message in enumerate(m for m in mail.outbox if observer.email in m.to):
        ctx.entries.append(
            Entry(
                "MAIL",
                f"to {observer.email} #{i + 1}",
                "",
                body=f"{message.subject}\n\n{message.body}",
            )
        )


def client_for(user: User) -> Client:
    # A server error is recorded like any answer, not raised: it must match too.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def record(scene: Scene, probes: Probes, capture: Callable, *, parts: str = "all") -> Recording:
    """Everything `scene.observer` can obtain, normalized.

    `parts="all"`: every GET route, every POST route (then the pages they lead to),
    the admin, the inbox and the mail. `parts="pages"`: the pages where others'
    comments and decisions appear once they may be seen, and the inbox (for the
    positive controls).
    """
    ctx = Context(scene, probes, capture, client_for(scene.observer))
    if parts == "all":
        sweep_gets(ctx)
        sweep_admin(ctx)
        sweep_posts(ctx)
    else:
        p = scene.proposal.pk
        for number in scene.rounds:
            ctx.request("GET", reverse("round-detail", args=[p, number]))
            ctx.request(
                "GET", reverse("round-detail", args=[p, number]) + "?part=comments", hx=True
            )
        for name in ("proposal-memo", "proposal-history"):
            ctx.request("GET", reverse(name, args=[p]))
        ctx.request("GET", reverse("review-queue"))
    sweep_inbox(ctx)
    keys = KeyMap(known_keys(probes))
    return Recording([e.normalized(keys) for e in ctx.entries], ctx.hit)


@dataclass
class Recording:
    entries: list[Entry]
    hit: set[str]

    def containing(self, words: list[str]) -> list[str]:
        """'word in request: line' for each answer that contains one of `words`
        ("ZEBRA-1" is not found in "ZEBRA-12")."""
        patterns = [(w, re.compile(re.escape(w) + r"(?!\d)")) for w in words]
        found = []
        for e in self.entries:
            answer = e.text().split("\n", 1)[1]  # not the request line: ?q= echoes
            for word, pattern in patterns:
                line = next((li for li in answer.splitlines() if pattern.search(li)), None)
                if line is not None:
                    found.append(f"{word} in {e.title} (status {e.status}): {line.strip()[:300]}")
        return found


def differences(quiet: Recording, busy: Recording) -> list[tuple[Entry | None, Entry | None]]:
    """The answers that differ, as (quiet, busy) pairs; None where one world made a
    request the other did not (a POST redirected in one world only, say). The two
    request sequences are aligned first, so one extra request shifts nothing else."""
    titles = [[e.title for e in r.entries] for r in (quiet, busy)]
    matcher = difflib.SequenceMatcher(None, *titles, autojunk=False)
    different: list[tuple[Entry | None, Entry | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        q, b = quiet.entries[i1:i2], busy.entries[j1:j2]
        if tag == "equal":
            different += [(x, y) for x, y in zip(q, b, strict=True) if x.text() != y.text()]
        else:
            n = min(len(q), len(b))
            different += list(zip(q[:n], b[:n], strict=True))
            different += [(x, None) for x in q[n:]] + [(None, y) for y in b[n:]]
    return different


def report(different: list[tuple[Entry | None, Entry | None]], limit: int = 6) -> str:
    """The first few differing answers as unified diffs (quiet -> busy)."""
    lines = [f"{len(different)} answer(s) differ between the quiet and the busy world:"]
    for quiet, busy in different[:limit]:
        either = busy or quiet
        assert either is not None
        lines += ["", f"=== {either.title}"]
        lines += difflib.unified_diff(
            quiet.text().splitlines() if quiet else ["(no such request in the quiet world)"],
            busy.text().splitlines() if busy else ["(no such request in the busy world)"],
            "quiet", "busy", n=1, lineterm="",
        )  # fmt: skip
    if len(different) > limit:
        rest = [(b or q).title for q, b in different[limit : limit + 30] if b or q]
        lines.append(f"... and {len(different) - limit} more: " + ", ".join(rest))
    return "\n".join(lines)
