"""Sum the stage history up: the stage-duration counts and each deal's furthest stage (ADR 0016)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from crm.services.stage_durations import stage_durations_rebuild

    stage_durations_rebuild()


class Migration(migrations.Migration):
    dependencies = [("crm", "0015_stage_durations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
