from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostcourseConfig(AppConfig):
    name = "postcourse"
    verbose_name = _("Post-course support")

    def ready(self):
        from . import access, activity, followups, services, support_year  # noqa: F401  (logged actions, the cabinet's panels, receivers)

        access.register()
        _register_work()


def _register_work():
    """The staff home's work of this stage (``ziat.workspace``)."""
    from ziat import roles, workspace

    from . import selectors

    answering = [roles.TRAINER, roles.METHODIST]
    workspace.register("postcourse.consultations", roles=answering, load=selectors.work_of_consultations, order=50)
    workspace.register("postcourse.plans", roles=[roles.METHODIST], load=selectors.work_of_support_plans, order=50)
    workspace.register(
        "postcourse.support_requests", roles=answering, load=selectors.work_of_support_requests, order=50
    )
