"""Redis goes away and comes back: pages serve, actions succeed, the outbox waits.

The test starts a Redis of its own, points the cache and the Celery broker at it,
kills it (SIGKILL, as in a crash), uses the site, starts it again on the same port and
lets a real Celery worker sweep the outbox. Every message must arrive exactly once.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation
from prfaq import document, services
from prfaq.celery import app
from prfaq.models import Notification, NotificationStatus, Proposal
from reviews.models import Comment, Round
from tests.faults.support import (
    celery_broker,
    returns_within,
    wait_for,
)
from tests.review_helpers import write_strong
from tests.test_access_sweep import GET_ROUTES, right_user, route_url
from tests.test_access_sweep import scene as scene  # a fixture, requested by name

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Far beyond the cache's and broker's socket timeouts (1 s and 2 s, a few retries):
# only a request that hangs on the dead server trips it.
HANG = 20


@pytest.fixture
def eagerly():
    """What exists before the outage is made the ordinary way, its mail already sent."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def ready(eagerly, scene, team, lead):
    proposal = services.proposal_create(team=team, owner=lead, title="Ready for its round")
    write_strong(proposal, lead)
    return proposal


@pytest.fixture
def on_private_redis(settings, redis_server):
    """The cache (as prfaq/settings.py configures it with REDIS_URL) and the broker."""
    settings.CACHES = {
        "default": {
            "BACKEND": "prfaq.cache.FailOpenRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # /healthz reads these to probe the broker.
    settings.CELERY_BROKER_URL = redis_server.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with celery_broker(redis_server.url):
        yield redis_server


def get(client, url: str, **headers: str):
    with returns_within(HANG, f"GET {url}"):
        return client.get(url, **headers)


def post(client, url: str, data: dict):
    with returns_within(HANG, f"POST {url}"):
        return client.post(url, data)


def health(client) -> dict:
    response = get(client, reverse("healthz"))
    assert response.status_code == 200
    return response.json()


def test_pages_and_actions_survive_a_redis_outage_and_the_outbox_is_sent_once(
    ready,
    scene,
    proposal,
    client,
    login,
    team,
    lead,
    member,
    on_private_redis,
):
    redis = on_private_redis
    live = scene["live"]
    round_ = Round.objects.get(proposal=live)
    mail.outbox.clear()
    sent_before = set(Notification.objects.values_list("pk", flat=True))
    memo = reverse("proposal-memo", args=[live.pk])

    # Redis up: the memo article is cached there, so the cache really is this Redis.
    assert get(login(lead), memo).status_code == 200
    assert redis.keys(), "the memo page stored nothing in our Redis"
    state = health(client)
    assert (state["cache"], state["broker"]) == ("ok", "ok"), state

    redis.kill()

    # Every page a signed-in user can open still serves.
    for name in GET_ROUTES:
        user = right_user(name, lead, member)
        response = get(login(user), route_url(scene, name))
        assert response.status_code == 200, (name, response.status_code)
    state = health(client)
    assert state["status"] == "ok"
    assert state["cache"].startswith("error")
    assert state["broker"].startswith("error")

    # Actions succeed. Save a draft step:
    owner = login(lead)
    content = Proposal.objects.get(pk=proposal.pk).current_revision.content
    response = post(
        owner,
        reverse("proposal-step", args=[proposal.pk, "customer"]),
        {"who": "Shoppers during an outage", "how_many": "12", "evidence": "",
         "step_hash": document.step_hash(content, "customer")},
    )  # fmt: skip
    assert response.status_code == 302
    saved = Proposal.objects.get(pk=proposal.pk).current_revision.content
    assert saved["customer"]["who"] == "Shoppers during an outage"

    # comment (mentioning the owner, which notifies them),
    handle = lead.email.split("@")[0]
    response = post(
        login(member),
        reverse("comment-create", args=[live.pk, round_.number]),
        {"section": "general", "body": f"Worth a look, @{handle}."},
    )
    assert response.status_code in (200, 302)
    assert Comment.objects.filter(body__contains="Worth a look").exists()

    # open a round (its reviewer is told),
    response = post(
        owner,
        reverse("round-new", args=[ready.pk]),
        {"mode": "async", "due": (date.today() + timedelta(days=7)).isoformat(),
         f"role-{member.pk}": "reviewer", f"required-{member.pk}": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Round.objects.filter(proposal=ready).exists()

    # invite someone, and ask for a password reset.
    response = post(
        owner,
        reverse("team-invite", args=[team.slug]),
        {"email": "x@example.com", "role": "member"},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(team=team, email="x@example.com").exists()
    assert post(client, reverse("password_reset"), {"email": member.email}).status_code == 302

    # Nothing was sent: the messages wait in the outbox.
    waiting = Notification.objects.exclude(pk__in=sent_before).exclude(
        status=NotificationStatus.HELD
    )
    kinds = set(waiting.values_list("kind", flat=True))
    assert {"invitation", "round_opened", "password_reset"} <= kinds, kinds
    assert set(waiting.values_list("status", "attempts")) == {(NotificationStatus.PENDING, 0)}
    assert mail.outbox == []
    waiting_ids = sorted(waiting.values_list("pk", flat=True))

    # Redis comes back on the same port, empty. The cache is used again.
    redis.start()
    assert get(login(lead), memo).status_code == 200
    assert redis.keys(), "the cache did not come back with Redis"
    state = health(client)
    assert (state["cache"], state["broker"]) == ("ok", "ok"), state

    # The beat sweep (twice, as two ticks would) and a stray duplicate delivery task
    # run through a real worker. The sweep takes what has waited over a minute.
    Notification.objects.filter(pk__in=waiting_ids).update(
        created=services.timezone.now() - timedelta(minutes=5)
    )
    from celery.contrib.testing.worker import start_worker

    from prfaq import tasks

    queue = app.conf.task_default_queue
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        tasks.notifications_sweep.delay()
        tasks.notifications_sweep.delay()
        tasks.notification_deliver.delay(waiting_ids[0])
        assert wait_for(
            lambda: (
                not Notification.objects.filter(
                    pk__in=waiting_ids, status=NotificationStatus.PENDING
                ).exists()
            )
        ), "the sweep did not deliver the outbox"
        with redis.client() as broker:
            # Drained: nothing queued, nothing in flight, so every duplicate has run.
            assert wait_for(lambda: not broker.llen(queue) and not broker.hlen("unacked"))

    delivered = Notification.objects.filter(pk__in=waiting_ids)
    assert set(delivered.values_list("status", "attempts")) == {(NotificationStatus.SENT, 1)}
    sent = Counter((m.to[0], m.subject) for m in mail.outbox)
    expected = Counter(delivered.values_list("to_email", "subject"))
    assert sent == expected, "each waiting message is sent exactly once"
