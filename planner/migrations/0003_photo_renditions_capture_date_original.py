import uuid

from django.db import migrations, models

import planner.models


def give_each_photo_a_key(apps, schema_editor):
    Photo = apps.get_model("planner", "Photo")
    for photo in Photo.objects.filter(key__isnull=True).only("pk"):
        photo.key = uuid.uuid4()
        photo.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("planner", "0002_goal_progress_carry_over_soft_delete"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_photo_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="photo",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="photo",
            name="renditions",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="WebP files by width: [{width, height, name}], narrowest first.",
                verbose_name="renditions",
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="taken_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="taken on"),
        ),
        migrations.AddField(
            model_name="photo",
            name="original",
            field=models.FileField(
                blank=True,
                editable=False,
                upload_to=planner.models.original_upload_to,
                verbose_name="original upload",
            ),
        ),
    ]
