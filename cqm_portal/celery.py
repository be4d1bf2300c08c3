import os

from celery import Celery, shared_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqm_portal.settings")

app = Celery("cqm_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@shared_task(name="cqm_portal.ping")
def ping() -> str:
    """Answers "pong": proves a worker is consuming the queue (health checks, tests)."""
    return "pong"
