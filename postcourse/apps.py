from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostcourseConfig(AppConfig):
    name = "postcourse"
    verbose_name = _("Post-course support")

    def ready(self):
        from . import access, activity, followups, services, support_year  # noqa: F401  (logged actions, the cabinet's panels, receivers)

        access.register()
