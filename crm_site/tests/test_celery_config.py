"""The reliability baseline of ../shared/research/reliability.md §3.4, checked on the live app."""

from django.conf import settings

from crm_site.celery import BEAT_SCHEDULE
from crm_site.celery import app as celery_app

OWN_PACKAGES = ("crm_site.", "crm.", "recruiting.", "webhooks.")


def own_tasks():
    celery_app.loader.import_default_modules()
    return [task for name, task in celery_app.tasks.items() if name.startswith(OWN_PACKAGES)]


def test_tasks_are_acked_late_and_requeued_when_their_worker_dies():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1


def test_time_budgets_are_ordered():
    # HTTP timeout < soft limit < hard limit < visibility timeout, globally...
    assert settings.HTTP_TIMEOUT_SECONDS < settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_TIME_LIMIT < settings.CELERY_VISIBILITY_TIMEOUT
    # ...and for every task of ours that sets its own limits.
    for task in own_tasks():
        soft = task.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
        hard = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert soft < hard < settings.CELERY_VISIBILITY_TIMEOUT, task.name


def test_retries_never_wait_longer_than_the_visibility_timeout():
    for task in own_tasks():
        if getattr(task, "autoretry_for", None):
            assert task.max_retries is not None, task.name
            assert (task.retry_backoff_max or 600) < settings.CELERY_VISIBILITY_TIMEOUT, task.name


def test_every_beat_entry_names_a_registered_task():
    celery_app.loader.import_default_modules()
    assert celery_app.conf.beat_schedule is BEAT_SCHEDULE
    for name, entry in BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name
