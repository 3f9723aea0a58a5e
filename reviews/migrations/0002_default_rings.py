from django.db import migrations

DEFAULT_RINGS = [
    ("Team", "all_required", 1, False, False, False),
    ("Peers & stakeholders", "at_least", 2, True, False, False),
    ("Leadership", "all_required", 1, False, True, True),
]


def add_default_rings(apps, schema_editor):
    """Teams that existed before rings get the same defaults new teams get."""
    Team = apps.get_model("accounts", "Team")
    Ring = apps.get_model("reviews", "Ring")
    for team in Team.objects.filter(rings__isnull=True):
        for i, (name, rule, n, bar, kill, amend) in enumerate(DEFAULT_RINGS, start=1):
            Ring.objects.create(
                team=team, position=i, name=name, pass_rule=rule, min_approvals=n,
                requires_bar_raiser=bar, may_kill=kill, for_amendments=amend,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_default_rings, migrations.RunPython.noop)]
