import pytest
from django_celery_results.models import TaskResult

from crm_site.tasks import ping

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_task_goes_through_the_broker_to_a_worker_and_its_result_into_the_database(celery_worker):
    # when
    result = ping.delay("hello")
    # then
    assert result.get(timeout=30) == "hello"
    row = TaskResult.objects.get(task_id=result.id)
    assert row.status == "SUCCESS"
    assert row.task_name == "crm_site.tasks.ping"
    assert row.worker.startswith(celery_worker.queue)


def test_the_gazetteer_is_loaded_once_by_the_main_process_before_the_pool_forks(celery_worker):
    log = celery_worker.log_path.read_text().splitlines()

    loaded = [number for number, line in enumerate(log) if "gazetteer loaded in" in line]
    pool_started = next(number for number, line in enumerate(log) if "(prefork)" in line)  # the banner
    assert len(loaded) == 1
    assert loaded[0] < pool_started
