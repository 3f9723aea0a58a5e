import io

import pytest
from django.core.management import call_command

from prfaq.models import MetricReading, Proposal, Revision
from reviews.models import Comment, Round

pytestmark = pytest.mark.django_db


def test_seed_bench_builds_a_consistent_data_set_and_is_idempotent():
    out = io.StringIO()
    args = ["--teams", "3", "--users", "12", "--proposals", "60", "--revisions", "120",
            "--rounds", "20", "--comments", "400", "--readings", "50"]  # fmt: skip
    call_command("seed_bench", *args, stdout=out)
    assert Proposal.objects.count() == 60
    assert Revision.objects.count() == 120
    assert Round.objects.count() == 20
    assert Comment.objects.count() == 400
    assert Comment.objects.filter(round=Round.objects.order_by("pk").first()).count() >= 200
    assert MetricReading.objects.exists()
    assert not Proposal.objects.filter(current_revision__isnull=True).exists()
    assert "done" in out.getvalue()
    call_command("seed_bench", *args, stdout=out)
    assert Proposal.objects.count() == 60
