from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from . import access, panels  # noqa: F401  (panels: the cabinet's panel of this stage)

        access.register()

        from . import verification_signals

        verification_signals.connect()
