"""The approved PR/FAQ as build contract: frozen, hashed, amended, launched, measured."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from prfaq import document, metrics, services
from prfaq.lifecycle import Status
from prfaq.models import Contract, Metric, MetricReading, Notification, Proposal
from reviews.models import ReviewerRole
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.helpers import assert_constant_queries
from tests.prfaq.helpers import save_step
from tests.review_helpers import approve, run_round, write_strong

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(db):
    return MembershipFactory(team=TeamFactory(), user=UserFactory(display_name="Lee")).user


@pytest.fixture
def approved(proposal, lead, member, leader):
    write_strong(proposal, lead)
    approve(proposal, lead, member, leader)
    return Proposal.objects.get(pk=proposal.pk)


def test_passing_the_last_ring_makes_contract_version_1(approved, leader):
    assert approved.status == Status.APPROVED
    contract = Contract.objects.get(proposal=approved)
    assert contract.version == 1
    assert contract.revision == approved.current_revision
    assert contract.revision.frozen
    assert contract.content_hash == document.content_hash(contract.revision.content)
    assert [a["name"] for a in contract.approvers] == ["Lee"]
    assert [r["ring"] for r in contract.rounds] == ["Team", "Peers & stakeholders", "Leadership"]
    assert Metric.objects.filter(proposal=approved).count() == 3


def test_a_contract_cannot_be_changed_by_model_queryset_or_admin(approved):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    contract = Contract.objects.get(proposal=approved)
    contract.content_hash = "0" * 64
    with pytest.raises(PermissionError):
        contract.save()
    with pytest.raises(PermissionError):
        contract.delete()
    with pytest.raises(PermissionError):
        Contract.objects.filter(pk=contract.pk).update(content_hash="x")
    with pytest.raises(PermissionError):
        Contract.objects.filter(pk=contract.pk).delete()
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[Contract]
    assert not model_admin.has_change_permission(request, contract)
    assert not model_admin.has_delete_permission(request, contract)
    assert Contract.objects.get(pk=contract.pk).content_hash == document.content_hash(
        contract.revision.content
    )


def test_hash_is_stable_for_equal_content_and_changes_with_any_edit(approved):
    content = approved.current_revision.content
    assert document.content_hash(content) == document.content_hash(
        dict(reversed(list(content.items())))
    )
    changed = document.with_step(
        content,
        "customer",
        {**content["customer"], "how_many": content["customer"]["how_many"] + "."},
    )
    assert document.content_hash(changed) != document.content_hash(content)


def test_an_amendment_that_passes_is_version_2_with_a_diff(approved, lead, leader, login, member):
    save_step(
        approved,
        lead,
        "customer",
        {**approved.current_revision.content["customer"], "how_many": "41,000 households"},
    )
    page = login(member).get(reverse("proposal-contract", args=[approved.pk])).content.decode()
    assert "The working draft differs from the contract" in page
    round_ = run_round(approved, lead, [(leader, ReviewerRole.APPROVER, "approve", "")])
    assert round_.amendment
    assert round_.ring.name == "Leadership"
    versions = list(Contract.objects.filter(proposal=approved).order_by("version"))
    assert [c.version for c in versions] == [1, 2]
    assert versions[1].revision.content["customer"]["how_many"] == "41,000 households"
    assert Proposal.objects.get(pk=approved.pk).status == Status.APPROVED
    page = login(member).get(reverse("proposal-contract", args=[approved.pk])).content.decode()
    assert "changes from version 1" in page
    assert "The working draft differs" not in page


def test_an_amendment_that_is_killed_leaves_the_contract_standing(approved, lead, leader):
    save_step(
        approved,
        lead,
        "customer",
        {**approved.current_revision.content["customer"], "how_many": "9 households"},
    )
    run_round(approved, lead, [(leader, ReviewerRole.APPROVER, "kill", "Not worth it.")])
    assert Contract.objects.filter(proposal=approved).count() == 1
    assert Proposal.objects.get(pk=approved.pk).status == Status.APPROVED


def test_nothing_to_amend_is_refused(approved, lead, leader):
    with pytest.raises(ValidationError, match="nothing to amend"):
        run_round(approved, lead, [(leader, ReviewerRole.APPROVER, "approve", "")])


P = metrics.Point


@pytest.mark.parametrize(
    ("baseline", "target", "due", "readings", "expected"),
    [
        ("62", "95", date(2027, 6, 30), [], metrics.NO_DATA),
        ("62", "95", date(2027, 6, 30), [P(date(2027, 1, 1), Decimal("70"))], metrics.ON_TRACK),
        ("62", "95", date(2027, 6, 30), [P(date(2027, 1, 1), Decimal("96"))], metrics.MET),
        ("62", "95", date(2026, 6, 30), [P(date(2026, 1, 1), Decimal("80"))], metrics.MISSED),
        (
            "14",
            "6",
            date(2027, 6, 30),
            [P(date(2027, 1, 1), Decimal("5.5"))],
            metrics.MET,
        ),  # lower is better
        (
            "14",
            "6",
            date(2027, 6, 30),
            [P(date(2027, 1, 1), Decimal("9")), P(date(2027, 2, 1), Decimal("12"))],
            metrics.ON_TRACK,
        ),
        (
            "14",
            "6",
            date(2027, 6, 30),
            [P(date(2027, 2, 1), Decimal("5")), P(date(2027, 1, 1), Decimal("12"))],
            metrics.MET,
        ),  # latest counts
    ],
)
def test_metric_status(baseline, target, due, readings, expected):
    today = date(2026, 11, 22)
    assert (
        metrics.status(
            baseline=Decimal(baseline),
            target=Decimal(target),
            due=due,
            readings=readings,
            today=today,
        )
        == expected
    )


def test_launch_readings_chart_and_outcome(approved, lead, member, login, hx):
    client = login(lead)
    client.post(
        reverse("proposal-launch", args=[approved.pk]),
        {"launched_on": "2026-11-01", "review_on": "2026-11-10"},
    )
    approved.refresh_from_db()
    assert approved.status == Status.LAUNCHED
    assert approved.launched_on == date(2026, 11, 1)
    metric = Metric.objects.filter(proposal=approved).first()
    url = reverse("metric-reading", args=[approved.pk, metric.pk])
    bad = login(member).post(url, {"date": "2026-11-05", "value": "lots"}, follow=True)
    assert b"Enter a number" in bad.content
    future = login(member).post(url, {"date": "2099-01-01", "value": "3"}, follow=True)
    assert b"cannot be in the future" in future.content
    login(member).post(url, {"date": "2026-11-05", "value": "70.5", "note": "first week"})
    assert MetricReading.objects.get().value == Decimal("70.5")
    page = (
        login(member).get(reverse("proposal-contract", args=[approved.pk]), **hx).content.decode()
    )
    assert '<svg class="chart"' in page
    assert "<polyline" in page
    assert "style=" not in page
    assert "On track" in page or "Missed" in page

    with pytest.raises(ValidationError):
        services.outcome_record(proposal_id=approved.pk, actor=lead, verdict="yes", evidence=" ")
    client.post(
        reverse("proposal-outcome", args=[approved.pk]),
        {"verdict": "partly", "evidence": "Holds worked; evening reach did not."},
    )
    approved.refresh_from_db()
    assert approved.status == Status.MEASURED
    assert approved.outcome == "partly"


def test_outcome_review_reminder_goes_once_to_owner_and_approvers(
    approved, lead, leader, django_capture_on_commit_callbacks
):
    services.proposal_launch(
        proposal_id=approved.pk,
        actor=lead,
        launched_on=date(2026, 1, 1),
        review_on=date(2026, 6, 1),
    )
    assert services.outcome_reminders_send(today=date(2026, 5, 31)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outcome_reminders_send(today=date(2026, 6, 2)) == 1
    assert services.outcome_reminders_send(today=date(2026, 6, 3)) == 0
    assert set(
        Notification.objects.filter(kind="outcome_review").values_list("user_id", flat=True)
    ) == {lead.pk, leader.pk}


def test_contract_page_queries_stay_flat_with_readings(approved, lead, login):
    services.proposal_launch(
        proposal_id=approved.pk,
        actor=lead,
        launched_on=date(2026, 1, 1),
        review_on=date(2026, 6, 1),
    )
    metric_list = list(Metric.objects.filter(proposal=approved))
    for m in metric_list:
        services.reading_record(metric_id=m.pk, user=lead, on=date(2026, 2, 1), value=Decimal(1))
    client = login(lead)

    def grow():
        for i in range(100):
            m = metric_list[i % 3]
            services.reading_record(
                metric_id=m.pk, user=lead, on=date(2026, 2, 1) + timedelta(days=i), value=Decimal(i)
            )

    assert_constant_queries(client, reverse("proposal-contract", args=[approved.pk]), grow)


def test_outsiders_get_404_on_the_contract_and_its_forms(approved, outsider, login):
    client = login(outsider)
    metric = Metric.objects.filter(proposal=approved).first()
    assert client.get(reverse("proposal-contract", args=[approved.pk])).status_code == 404
    assert (
        client.post(
            reverse("metric-reading", args=[approved.pk, metric.pk]),
            {"date": "2026-01-01", "value": "1"},
        ).status_code
        == 404
    )
    assert client.post(reverse("proposal-launch", args=[approved.pk])).status_code == 404


def test_a_refused_outcome_says_what_was_wrong(approved, lead, login):
    services.proposal_launch(
        proposal_id=approved.pk, actor=lead, launched_on=date(2026, 1, 1),
        review_on=date(2026, 6, 1),
    )  # fmt: skip
    client = login(lead)
    url = reverse("proposal-outcome", args=[approved.pk])
    for data, said in [
        ({"verdict": "yes", "evidence": "a\x00b"}, "null character"),
        ({"verdict": "yes", "evidence": "x" * 5001}, "to 5,000 characters; it has 5001."),
        ({"verdict": "maybe", "evidence": "Readings."}, "yes, partly or no"),
        ({"verdict": "yes", "evidence": ""}, "Give the evidence"),
    ]:
        page = client.post(url, data, follow=True).content.decode()
        assert said in page, data
    approved.refresh_from_db()
    assert approved.status == Status.LAUNCHED
