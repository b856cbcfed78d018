"""Count the closed deals by day and keep each won deal's days to win (ADR 0016)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from crm.services.stage_durations import stage_durations_rebuild

    stage_durations_rebuild()


class Migration(migrations.Migration):
    dependencies = [("crm", "0017_closed_deal_days")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
