from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [("planner", "0018_comment_reply_to")]

    operations: list = []
