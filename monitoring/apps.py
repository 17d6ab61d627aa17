from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from . import access, satisfaction  # noqa: F401  (the cabinet's panel of the questionnaire)

        access.register()
