from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_data_version_triggers(sender, using, **kwargs):
    from . import data_version

    data_version.install_triggers(using)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # After every migrate, so that tables added by any app's migrations are tracked too.
        post_migrate.connect(
            _install_data_version_triggers, sender=self, dispatch_uid="core.data_version"
        )
        # In every process (web, worker, shell): a session deleted anywhere leaves the cache too.
        from . import sessions  # noqa: F401
