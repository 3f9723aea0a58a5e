"""export_proposal / import_proposal: a proposal's whole history out and back, identically."""

import io
import json
import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Team, User
from prfaq import document, search, services
from prfaq.models import Acknowledgement, Contract, MetricReading, Proposal, Revision
from reviews import services as review_services
from reviews.models import Comment, ReviewerRole, Round
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.prfaq.helpers import save_step
from tests.review_helpers import run_round, write_strong

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(db):
    return MembershipFactory(team=TeamFactory(), user=UserFactory(display_name="Lee")).user


@pytest.fixture
def history(proposal, lead, member, leader):
    """A proposal through every stage, built with the services as its people would."""
    write_strong(proposal, lead)
    content = Proposal.objects.get(pk=proposal.pk).current_revision.content
    problem = {**content["problem"], "today": content["problem"]["today"] + " Every evening."}
    save_step(proposal, member, "problem", problem)  # another author: a new revision
    services.proposal_restore(proposal_id=proposal.pk, user=lead, number=1)
    current = Proposal.objects.get(pk=proposal.pk).current_revision
    warning = next(f for f in current.findings if f["severity"] == "warning")
    services.acknowledgement_create(
        proposal_id=proposal.pk, user=lead, key=warning["key"], reason="Our readers know it."
    )

    # The team ring, by hand: comments, a reply, a resolved blocker, a decision.
    round_ = review_services.round_open(
        proposal_id=proposal.pk, actor=lead, mode="async", due=timezone.now() + timedelta(days=3),
        reviewers=[review_services.ReviewerChoice(member.pk, ReviewerRole.REVIEWER)],
    )  # fmt: skip
    review_services.reading_start(round_id=round_.pk, user=member)
    review_services.reading_done(round_id=round_.pk, user=member)
    thread = review_services.comment_create(
        round_id=round_.pk, author=member, section="press_release.headline",
        body="Sharp headline — *keep* it. <script>alert(1)</script>",
    )  # fmt: skip
    review_services.comment_create(
        round_id=round_.pk, author=lead, section="general", body="Will do.", parent_key=thread.key
    )
    blocker = review_services.comment_create(
        round_id=round_.pk, author=member, section="general", body="Say what it costs.",
        blocking=True,
    )  # fmt: skip
    review_services.comment_resolve(comment_id=blocker.pk, user=member)
    review_services.decision_record(
        round_id=round_.pk, reviewer=member, decision="approve", rationale="Clear."
    )
    run_round(
        proposal, lead,
        [(member, ReviewerRole.REVIEWER, "approve", ""),
         (leader, ReviewerRole.BAR_RAISER, "disagree_commit", "Costly, but go.")],
    )  # fmt: skip
    run_round(proposal, lead, [(leader, ReviewerRole.APPROVER, "approve", "Yes.")])

    # An amendment: contract version 2.
    content = Proposal.objects.get(pk=proposal.pk).current_revision.content
    save_step(proposal, lead, "customer", {**content["customer"], "how_many": "41,000 households"})
    run_round(proposal, lead, [(leader, ReviewerRole.APPROVER, "approve", "Fine.")])

    launched = timezone.localdate() - timedelta(days=40)
    services.proposal_launch(
        proposal_id=proposal.pk, actor=lead, launched_on=launched,
        review_on=launched + timedelta(days=30),
    )  # fmt: skip
    for i, metric in enumerate(Proposal.objects.get(pk=proposal.pk).metrics.order_by("pk")):
        for day, value in [(3, "61.5"), (20, f"{70 + i}.25")]:
            services.reading_record(
                metric_id=metric.pk, user=member if i else lead,
                on=launched + timedelta(days=day), value=Decimal(value), note=f"week {day // 7}",
            )  # fmt: skip
    services.outcome_record(
        proposal_id=proposal.pk, actor=lead, verdict="partly", evidence="Holds worked."
    )
    return Proposal.objects.get(pk=proposal.pk)


@pytest.fixture
def empty_database():
    """Delete every row of every table, as a fresh database would be."""

    def _empty():
        postgres = connection.vendor == "postgresql"
        if postgres:  # TRUNCATE refuses while the test's transaction has checks pending
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        assert not User.objects.exists()
        assert not Proposal.objects.exists()

    yield _empty
    ContentType.objects.clear_cache()  # the flush removed the rows it caches


class _MainText(HTMLParser):
    """The words a reader sees in the page's <main>, without ids from links or forms."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.words += data.split()


def seen(client, name, proposal_id) -> str:
    response = client.get(reverse(name, args=[proposal_id]))
    assert response.status_code == 200
    parser = _MainText()
    parser.feed(response.content.decode())
    return " ".join(parser.words)


def test_export_then_import_into_an_empty_database_gives_the_same_document(
    history, member, leader, login, tmp_path, empty_database
):
    before = {
        page: seen(login(member), page, history.pk)
        for page in ["proposal-memo", "proposal-contract", "proposal-history"]
    }
    first = tmp_path / "first.json"
    call_command("export_proposal", history.pk, output=str(first))
    data = json.loads(first.read_text())

    assert data["format"] == "prfaq-proposal"
    assert data["version"] == 1
    assert [r["number"] for r in data["revisions"]] == [1, 2, 3, 4]
    assert [r["ring"] for r in data["rounds"]] == [1, 2, 3, 3]
    assert [c["version"] for c in data["contracts"]] == [1, 2]
    assert len(data["comments"]) == 3
    assert data["comments"][1]["parent"] == 1
    assert sum(len(m["readings"]) for m in data["metrics"]) == 6
    assert len(data["acknowledgements"]) == 1
    # People by email only: no password hash, no staff flag, no database ids.
    assert {u["email"] for u in data["users"]} == {history.owner.email, member.email, leader.email}
    assert all(
        set(u) == {"email", "display_name", "is_active", "date_joined"} for u in data["users"]
    )
    assert data["contracts"][1]["approvers"][0]["user"] == leader.email
    assert "user_id" not in first.read_text()

    empty_database()
    call_command("import_proposal", str(first))
    [imported] = Proposal.objects.all()
    second = io.StringIO()  # without --output the document goes to standard output
    call_command("export_proposal", imported.pk, stdout=second)
    assert second.getvalue() == first.read_text()

    # What people see is what they saw.
    member_here = User.objects.get(email=member.email)
    for page, text in before.items():
        assert len(text) > 500
        assert seen(login(member_here), page, imported.pk) == text
    assert not member_here.has_usable_password()  # passwords never travel
    assert Membership.objects.get(user=member_here).team.slug == "checkout"
    # The contract versions, their hashes and the approver links are intact.
    v1, v2 = Contract.objects.filter(proposal=imported).order_by("version")
    assert v2.revision.content["customer"]["how_many"] == "41,000 households"
    assert v1.revision.frozen
    assert v2.revision.frozen
    assert v2.approvers[0]["user_id"] == User.objects.get(email=leader.email).pk
    with pytest.raises(PermissionError):
        v1.save()
    # Comments are still threads, readings still numbers, search finds it again.
    reply = Comment.objects.get(body="Will do.")
    assert reply.parent.body.startswith("Sharp headline")
    assert MetricReading.objects.filter(metric__proposal=imported).count() == 6
    assert list(search.search(Proposal.objects.all(), "delivery slot")) == [imported]


def test_import_refuses_an_unknown_version_and_a_proposal_already_here(history, tmp_path):
    path = tmp_path / "export.json"
    call_command("export_proposal", history.pk, output=str(path))
    data = json.loads(path.read_text())
    rows = Revision.objects.count(), Round.objects.count(), User.objects.count()

    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**data, "version": 2}))
    with pytest.raises(CommandError, match="Unknown export format version 2"):
        call_command("import_proposal", str(newer))

    with pytest.raises(CommandError, match="already here"):
        call_command("import_proposal", str(path))

    garbled = tmp_path / "garbled.json"
    garbled.write_text(path.read_text()[:500])
    with pytest.raises(CommandError, match="not a JSON document"):
        call_command("import_proposal", str(garbled))
    with pytest.raises(CommandError, match="no proposal 999999"):
        call_command("export_proposal", 999999)
    assert (Revision.objects.count(), Round.objects.count(), User.objects.count()) == rows


def forge_contract(data):
    revision = data["revisions"][-1]
    revision["content"]["customer"]["how_many"] = "1 household"
    revision["content_hash"] = document.content_hash(revision["content"])


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        # An edited revision, its hash left as it was.
        (
            lambda d: d["revisions"][2]["content"]["customer"].update(how_many="1 household"),
            "revisions[2]: content does not match its hash",
        ),
        # A forged contract: the text and its revision's hash both rewritten.
        (forge_contract, "contracts[1]: the hash does not match its revision"),
        # Script slipped into the stored HTML.
        (
            lambda d: d["revisions"][-1]["rendered"].update(
                {"problem.today": "<p>hi</p><script>alert(1)</script>"}
            ),
            "is not what prfaq renders",
        ),
        # A bad value in the very last row.
        (lambda d: d["metrics"][-1]["readings"][-1].update(value="lots"), "value is invalid"),
        (lambda d: d["comments"][1].update(parent=7), "earlier comment 7"),
        (lambda d: d["rounds"][0].update(surprise=True), "unknown surprise"),
    ],
    ids=[
        "edited-revision",
        "forged-contract",
        "script",
        "bad-last-row",
        "dangling-parent",
        "unknown-field",
    ],
)
def test_a_damaged_file_writes_nothing(history, tmp_path, empty_database, damage, message):
    path = tmp_path / "export.json"
    call_command("export_proposal", history.pk, output=str(path))
    data = json.loads(path.read_text())
    damage(data)
    path.write_text(json.dumps(data))
    empty_database()
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_proposal", str(path))
    for model in [User, Team, Proposal, Revision, Acknowledgement, Contract, Comment]:
        assert not model.objects.exists(), model


def test_an_existing_team_gains_members_from_a_file_only_when_asked(history, tmp_path, member):
    path = tmp_path / "export.json"
    call_command("export_proposal", history.pk, output=str(path))
    data = json.loads(path.read_text())
    data["proposal"]["title"] = "A second copy"  # not a collision: another proposal
    data["users"].append(
        {"email": "mallory@example.com", "display_name": "M", "is_active": True,
         "date_joined": "2026-01-01T00:00:00+00:00"}
    )  # fmt: skip
    data["memberships"].append(
        {"user": "mallory@example.com", "role": "lead", "joined": "2026-01-01T00:00:00+00:00"}
    )
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=re.escape("exists here without mallory@example.com")):
        call_command("import_proposal", str(path))
    assert not User.objects.filter(email="mallory@example.com").exists()
    # Only when the operator says so.
    call_command("import_proposal", str(path), add_members=True)
    mallory = Membership.objects.get(team=history.team, user__email="mallory@example.com")
    assert mallory.role == "lead"
    data["proposal"]["title"] = "A copy"

    # A file naming only people the team already has needs no permission.
    data["users"].pop()
    data["memberships"].pop()
    path.write_text(json.dumps(data))
    call_command("import_proposal", str(path))
    copy = Proposal.objects.get(title="A copy")
    assert copy.team_id == history.team_id
    assert copy.owner_id == history.owner_id
    assert Membership.objects.filter(team=history.team).count() == 3  # lead, member, mallory
    assert Contract.objects.filter(proposal=copy).count() == 2
    # Every row of the copy has a new id, yet it exports as the same document.
    assert copy.pk != history.pk
    again = tmp_path / "again.json"
    call_command("export_proposal", copy.pk, output=str(again))
    assert json.loads(again.read_text()) == data
