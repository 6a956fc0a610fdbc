from django.db import migrations, models


class Migration(migrations.Migration):
    # Nullable with no default: existing (version 1) events keep no body, and SQLite
    # adds the column in place instead of rebuilding the table (which would drop its trigger).
    dependencies = [("platform", "0002_audit_append_only")]
    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="body",
            field=models.TextField(blank=True, editable=False, null=True),
        ),
    ]
