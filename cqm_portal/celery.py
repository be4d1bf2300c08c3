import os

from celery import Celery, shared_task
from celery.signals import worker_init, worker_process_init, worker_ready, worker_shutdown
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqm_portal.settings")
# The embedded mode's broker: Celery messages in a SQLite file (core/broker.py).
TRANSPORT_ALIASES.setdefault("embedded", "core.broker:Transport")

app = Celery("cqm_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@shared_task(name="cqm_portal.ping")
def ping() -> str:
    """Answers "pong": proves a worker is consuming the queue (health checks, tests)."""
    return "pong"


_heartbeats = []


@worker_ready.connect
def start_worker_heartbeat(**_kwargs) -> None:
    """A worker tells it is alive from a thread of its own, also while a long task runs."""
    from core.heartbeat import Component, HeartbeatThread

    thread = HeartbeatThread(Component.WORKER)
    thread.start()
    _heartbeats.append(thread)


@worker_shutdown.connect
def stop_worker_heartbeat(**_kwargs) -> None:
    while _heartbeats:
        _heartbeats.pop().stop()


@worker_init.connect
@worker_process_init.connect
def give_pdfs_the_worker_bound(**_kwargs) -> None:
    """PDFs laid out in a worker (reports, heavy downloads) get the worker's longer time bound."""
    from core.pdf import use_worker_budget_in_this_process

    use_worker_budget_in_this_process()
