"""pg_trgm GIN indexes for search, on PostgreSQL only; other databases skip this migration.

Django compiles `icontains` to `UPPER(column::text) LIKE UPPER('%word%')` on PostgreSQL,
so the indexes are on the expression UPPER(column), which is what lets the planner use
them (an index on the bare column would not be). The indexes live in the database
only, not in the models' state.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCHED = [
    ("year", "title"),
    ("year", "intro"),
    ("year", "summary"),
    ("period", "retrospective"),
    ("goal", "title"),
    ("goal", "note"),
    ("entry", "title"),
    ("entry", "body"),
    ("photo", "caption"),
]


def index_name(model_name, field):
    return f"planner_{model_name}_{field}_trgm"


def add_indexes(apps, schema_editor):
    # Plain SQL: Django's OpClass() index expressions need django.contrib.postgres in
    # INSTALLED_APPS, which the SQLite setup does not have.
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for model_name, field in SEARCHED:
        table = apps.get_model("planner", model_name)._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX {quote(index_name(model_name, field))} ON {quote(table)} "
            f"USING gin (UPPER({quote(field)}) gin_trgm_ops)"
        )


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, field in SEARCHED:
        name = schema_editor.quote_name(index_name(model_name, field))
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("planner", "0004_comments_likes_views_reminders"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
