"""Rows in their initial state. Later states come from calling services, as users do."""

from __future__ import annotations

import factory
from django.utils import timezone

from accounts.models import Invitation, Membership, Role, Team, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    description = "A product team."

    @factory.post_generation
    def rings(obj, create, extracted, **kwargs):
        """Every team has its review rings, as team_create gives them."""
        if create:
            from reviews.services import rings_create_defaults

            rings_create_defaults(team=obj)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.MEMBER
    token = factory.Sequence(lambda n: f"token-{n:04d}-" + "x" * 30)
    expires = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))
