from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostcourseConfig(AppConfig):
    name = "postcourse"
    verbose_name = _("Post-course support")

    def ready(self):
        from . import access, services  # noqa: F401  (services connects the signal receivers)

        access.register()
