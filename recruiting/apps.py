import gc
import logging
from typing import Any

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class RecruitingConfig(AppConfig):
    name = "recruiting"
    verbose_name = "Recruiting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from celery.signals import worker_init

        worker_init.connect(load_gazetteer_before_the_pool_forks, weak=False)


def load_gazetteer_before_the_pool_forks(**kwargs: Any) -> None:
    """A worker's main process reads the gazetteer once; its pool processes are forked with it
    in memory instead of each spending the load on its first candidate. gc.freeze() keeps the
    collector of each child from touching (and so copying) the inherited pages."""
    from recruiting.matching.places import gazetteer_load

    seconds = gazetteer_load()
    gc.freeze()
    logger.info("gazetteer loaded in %.2f s, before the pool forks", seconds)
