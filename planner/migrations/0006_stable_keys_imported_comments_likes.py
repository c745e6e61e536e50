import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KEYED = ["year", "goal", "goalupdate", "entry", "comment"]


def fill_keys(apps, schema_editor):
    for name in KEYED:
        model = apps.get_model("planner", name)
        rows = list(model._base_manager.filter(key__isnull=True).only("pk"))
        for row in rows:
            row.key = uuid.uuid4()
        model._base_manager.bulk_update(rows, ["key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("planner", "0005_search_trigram_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=name, name="key", field=models.UUIDField(null=True, editable=False)
            )
            for name in KEYED
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name=name,
                name="key",
                field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
            )
            for name in KEYED
        ),
        migrations.AddField(
            model_name="year",
            name="imported_likes",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Likes the post had on the site it was exported from; added to its count.",
                verbose_name="likes from an imported archive",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="author",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="comments",
                to=settings.AUTH_USER_MODEL,
                verbose_name="author",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="imported_author_username",
            field=models.CharField(
                blank=True, max_length=150, verbose_name="author's username where it was written"
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="imported_author_name",
            field=models.CharField(
                blank=True, max_length=150, verbose_name="author's name where it was written"
            ),
        ),
    ]
