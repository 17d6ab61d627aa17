from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZiatConfig(AppConfig):
    name = "ziat"
    verbose_name = _("Centre")

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        from .roles import sync_roles

        post_migrate.connect(sync_roles)
        # Each app names its logged actions in its ``activity`` module.
        autodiscover_modules("activity")
