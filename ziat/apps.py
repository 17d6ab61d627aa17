from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZiatConfig(AppConfig):
    name = "ziat"
    verbose_name = _("Centre")

    def ready(self):
        from django.contrib import admin
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        from .access import register_centre, scope_admin_site
        from .models import CalendarDay
        from .roles import sync_roles

        post_migrate.connect(sync_roles)
        # The government's moves of working days are the country's calendar, the same for every cohort.
        register_centre(CalendarDay)
        # Each app names its logged actions in its ``activity`` module.
        autodiscover_modules("activity")
        # Every model admin's lists and change pages hold only the rows the user may know of.
        scope_admin_site(admin.site)
