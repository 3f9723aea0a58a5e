"""Saving never loses an edit: coalescing, conflicts, parallel steps, restore, freezing."""

from datetime import timedelta

import pytest

from prfaq import document, services
from prfaq.errors import StateConflict
from prfaq.models import Proposal, Revision

pytestmark = pytest.mark.django_db


def current(proposal):
    return Proposal.objects.get(pk=proposal.pk).current_revision


def save(proposal, user, step, content, base=None):
    base = base if base is not None else document.step_hash(current(proposal).content, step)
    return services.proposal_save_step(
        proposal_id=proposal.pk, user=user, step_key=step, base_step_hash=base, content=content
    )


def test_autosaves_by_the_same_author_coalesce_then_a_new_revision_after_a_pause(proposal, lead):
    first = save(proposal, lead, "customer", {"who": "Weekly shoppers"})
    second = save(proposal, lead, "customer", {"who": "Weekly shoppers on weekday evenings"})
    assert first.revision.pk == second.revision.pk
    assert second.revision.number == 1  # the empty first revision absorbs early autosaves
    assert second.revision.content["customer"]["who"] == "Weekly shoppers on weekday evenings"
    assert Revision.objects.filter(proposal=proposal).count() == 1

    Revision.objects.filter(pk=second.revision.pk).update(
        updated=second.revision.updated - timedelta(minutes=10)
    )
    third = save(proposal, lead, "customer", {"who": "Evening shoppers"})
    assert third.revision.number == 2
    assert third.revision.parent_number == 1
    assert Revision.objects.get(proposal=proposal, number=1).content["customer"]["who"] == (
        "Weekly shoppers on weekday evenings"
    )


def test_another_authors_save_makes_a_new_revision(proposal, lead, member):
    save(proposal, lead, "customer", {"who": "A"})
    result = save(proposal, member, "customer", {"who": "B"})
    assert result.revision.number == 2
    assert result.revision.author == member
    assert result.revision.steps_touched == ["customer"]


def test_stale_save_is_a_conflict_that_keeps_both_texts(proposal, lead, member):
    base = document.step_hash(current(proposal).content, "problem")
    save(proposal, member, "problem", {"statement": "Theirs: the slot is gone"}, base=base)
    result = save(proposal, lead, "problem", {"statement": "Mine: I lose my slot"}, base=base)
    assert result.saved is False
    assert result.conflict["statement"] == "Theirs: the slot is gone"
    # Their text is stored; mine was not written over it and comes back in the result.
    assert current(proposal).content["problem"]["statement"] == "Theirs: the slot is gone"

    # Keeping mine: save again against the step as it now stands.
    kept = save(proposal, lead, "problem", {"statement": "Mine: I lose my slot"})
    assert kept.saved is True
    assert current(proposal).content["problem"]["statement"] == "Mine: I lose my slot"
    # Theirs is still in history.
    texts = [r.content["problem"]["statement"] for r in Revision.objects.filter(proposal=proposal)]
    assert "Theirs: the slot is gone" in texts


def test_two_people_editing_different_steps_both_succeed(proposal, lead, member):
    start = current(proposal).content
    a = save(proposal, lead, "customer", {"who": "Shoppers"}, document.step_hash(start, "customer"))
    b = save(
        proposal,
        member,
        "problem",
        {"statement": "Slots vanish"},
        document.step_hash(start, "problem"),
    )
    assert a.saved
    assert b.saved
    content = current(proposal).content
    assert content["customer"]["who"] == "Shoppers"
    assert content["problem"]["statement"] == "Slots vanish"


def test_saving_the_same_text_as_theirs_is_not_a_conflict(proposal, lead, member):
    base = document.step_hash(current(proposal).content, "customer")
    save(proposal, member, "customer", {"who": "Same"}, base=base)
    result = save(proposal, lead, "customer", {"who": "Same"}, base=base)
    assert result.conflict is None


def test_restore_appends_a_new_revision_and_loses_nothing(proposal, lead, member):
    save(proposal, lead, "customer", {"who": "First idea"})
    save(proposal, member, "customer", {"who": "Second idea"})
    restored = services.proposal_restore(proposal_id=proposal.pk, user=lead, number=1)
    assert restored.number == 3
    assert restored.restored_from == 1
    assert restored.content["customer"]["who"] == "First idea"
    assert Revision.objects.get(proposal=proposal, number=2).content["customer"]["who"] == (
        "Second idea"
    )


def test_frozen_revision_is_never_changed(proposal, lead):
    save(proposal, lead, "customer", {"who": "Under review"})
    frozen = services.revision_freeze(revision_id=current(proposal).pk)
    result = save(proposal, lead, "customer", {"who": "Edited after freezing"})
    assert result.revision.number == frozen.number + 1
    frozen.refresh_from_db()
    assert frozen.content["customer"]["who"] == "Under review"
    assert frozen.content_hash == document.content_hash(frozen.content)


def test_rendered_html_and_hash_are_stored_with_the_revision(proposal, lead):
    result = save(proposal, lead, "customer", {"who": "**Evening** shoppers"})
    revision = Revision.objects.get(pk=result.revision.pk)
    assert revision.rendered["customer.who"] == "<p><strong>Evening</strong> shoppers</p>"
    assert revision.content_hash == document.content_hash(revision.content)


def test_closed_proposals_cannot_be_edited(proposal, lead):
    services.proposal_withdraw(proposal_id=proposal.pk, actor=lead)
    with pytest.raises(StateConflict, match="can no longer change"):
        save(proposal, lead, "customer", {"who": "Too late"})
