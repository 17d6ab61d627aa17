from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from . import access, satisfaction  # noqa: F401  (the cabinet's panel of the questionnaire)

        access.register()
        _register_work()

        # The NOBD deadlines are counted again when the government moves a day (``ziat.calendar_decisions``).
        from ziat.calendar_decisions import register_recount

        from .nobd import nobd_deadlines_recount

        register_recount("monitoring.nobd", nobd_deadlines_recount)


def _register_work():
    """The staff home's work of this stage (``ziat.workspace``)."""
    from ziat import roles, workspace

    from . import selectors

    reviews = [roles.DIRECTOR, roles.METHODIST]
    workspace.register("monitoring.reviews", roles=reviews, load=selectors.work_of_reviews, order=40)
    workspace.register(
        "monitoring.nobd", roles=[roles.REGISTRAR, roles.MONITORING], load=selectors.work_of_nobd, order=40
    )
    workspace.register("monitoring.own", roles=[roles.MONITORING], load=selectors.work_of_monitoring, order=10)
