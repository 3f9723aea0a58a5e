import django.db.models.deletion
from django.db import migrations, models

import prfaq.keys


def fill_keys(apps, schema_editor):
    Notification = apps.get_model("prfaq", "Notification")
    for pk in Notification.objects.filter(key__isnull=True).values_list("pk", flat=True):
        Notification.objects.filter(pk=pk).update(key=prfaq.keys.new_key())


class Migration(migrations.Migration):
    dependencies = [
        ("prfaq", "0008_proposal_unplaced_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="proposal",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="prfaq.proposal",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="key",
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="key",
            field=models.CharField(
                default=prfaq.keys.new_key, editable=False, max_length=16, unique=True
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="round_number",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="event",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Started the proposal"),
                    ("restore", "Restored a revision"),
                    ("change_owner", "Changed the owner"),
                    ("submit", "Submitted for review"),
                    ("request_changes", "Changes requested"),
                    ("approve", "Approved"),
                    ("contract", "Wrote the build contract"),
                    ("launch", "Marked launched"),
                    ("measure", "Recorded the outcome"),
                    ("kill", "Killed"),
                    ("withdraw", "Withdrew the proposal"),
                    ("round_open", "Opened a review round"),
                    ("round_revised", "Put a newer revision up for review"),
                    ("reading_start", "Started the reading period"),
                    ("reading_over", "Reading period over"),
                    ("done_reading", "Finished reading"),
                    ("decide", "Decided"),
                    ("round_close", "Closed the round"),
                    ("ring_passed", "Passed a ring"),
                    ("amendment_killed", "Amendment killed"),
                ],
                max_length=40,
            ),
        ),
    ]
