import pytest
from celery.schedules import crontab
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from crm_site.beat import DatabaseScheduler, beat_schedule_sync
from crm_site.celery import BEAT_SCHEDULE, app

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


def interval_of(name):
    task = PeriodicTask.objects.select_related("interval", "crontab").get(name=name)
    return task.interval, task.crontab


@pytest.mark.django_db(transaction=True)  # the scheduler commits and closes old connections, as beat does
def test_an_interval_set_by_staff_survives_a_sync_and_a_beat_start():
    # given a job whose schedule a person changed in the admin to every 45 minutes
    beat_schedule_sync()
    every_45, _ = IntervalSchedule.objects.get_or_create(every=45, period=IntervalSchedule.MINUTES)
    task = PeriodicTask.objects.get(name="crm-send-scheduled-emails")
    task.crontab, task.interval = None, every_45
    task.save()
    # when the schedule is synced by the command and by beat starting up
    call_command("sync_beat_schedule")
    DatabaseScheduler(app=app, lazy=True).setup_schedule()
    # then the person's interval stands
    assert interval_of("crm-send-scheduled-emails") == (every_45, None)


def test_a_schedule_changed_in_code_is_applied_to_an_existing_row():
    # given a synced job
    beat_schedule_sync()
    entry = dict(BEAT_SCHEDULE["crm-check-email-replies"])
    # when a developer changes its default
    beat_schedule_sync({"crm-check-email-replies": {**entry, "schedule": crontab(minute="*/20")}})
    # then the new default is on the row
    _, schedule = interval_of("crm-check-email-replies")
    assert schedule.minute == "*/20"


@pytest.mark.django_db(transaction=True)
def test_beat_schedules_only_the_enabled_jobs():
    # given
    beat_schedule_sync()
    PeriodicTask.objects.filter(name="crm-daily-ai-review").update(enabled=False)
    scheduler = DatabaseScheduler(app=app, lazy=True)
    # when
    scheduler.setup_schedule()
    # then
    assert "crm-daily-ai-review" not in scheduler.schedule
    assert "crm-send-scheduled-emails" in scheduler.schedule
