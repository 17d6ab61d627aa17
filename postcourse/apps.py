from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostcourseConfig(AppConfig):
    name = "postcourse"
    verbose_name = _("Post-course support")

    def ready(self):
        from . import access, followups, panels, services  # noqa: F401  (the cabinet's panels; the signal receivers)

        access.register()
