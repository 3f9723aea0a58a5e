from django.db import migrations


def create_gin_index(apps, schema_editor):
    """Full-text search is PostgreSQL's; SQLite searches search_text with LIKE instead."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS prfaq_proposal_search_gin "
        "ON prfaq_proposal USING GIN (search_vector)"
    )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS prfaq_proposal_search_gin")


class Migration(migrations.Migration):
    dependencies = [("prfaq", "0006_search")]

    operations = [migrations.RunPython(create_gin_index, drop_gin_index)]
