import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from crm_site.beat import beat_schedule_sync
from crm_site.celery import BEAT_SCHEDULE

pytestmark = pytest.mark.django_db


def test_sync_creates_one_periodic_task_per_schedule_entry():
    # when
    names = beat_schedule_sync()
    # then
    assert names == sorted(BEAT_SCHEDULE)
    rows = {task.name: task for task in PeriodicTask.objects.filter(name__in=names)}
    assert set(rows) == set(BEAT_SCHEDULE)
    for name, entry in BEAT_SCHEDULE.items():
        assert rows[name].task == entry["task"]
        assert rows[name].enabled


def test_a_job_paused_by_staff_stays_paused_after_a_sync():
    # given
    beat_schedule_sync()
    PeriodicTask.objects.filter(name="celery.backend_cleanup").update(enabled=False)
    # when
    call_command("sync_beat_schedule")
    # then
    assert not PeriodicTask.objects.get(name="celery.backend_cleanup").enabled


def test_sync_twice_changes_nothing():
    beat_schedule_sync()
    rows = PeriodicTask.objects.order_by("name").values_list("name", "task", "crontab_id", "interval_id", "enabled")
    before = list(rows)

    beat_schedule_sync()

    assert list(rows.all()) == before  # PostgreSQL returns updated rows in any order: compare sorted
