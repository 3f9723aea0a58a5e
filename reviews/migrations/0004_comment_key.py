from django.db import migrations, models

import prfaq.keys


def fill_keys(apps, schema_editor):
    Comment = apps.get_model("reviews", "Comment")
    for pk in Comment.objects.filter(key__isnull=True).values_list("pk", flat=True):
        Comment.objects.filter(pk=pk).update(key=prfaq.keys.new_key())


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_round_amendment"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="key",
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="comment",
            name="key",
            field=models.CharField(
                default=prfaq.keys.new_key, editable=False, max_length=16, unique=True
            ),
        ),
    ]
