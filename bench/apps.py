from django.apps import AppConfig


class BenchConfig(AppConfig):
    """``manage.py bench``; installed only by ``bench.settings``, never in the product."""

    name = "bench"
    verbose_name = "Bench"
