from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from . import access, panels  # noqa: F401  (panels: the cabinet's panel of this stage)

        access.register()
        _register_work()


def _register_work():
    """The staff home's work of this stage (``ziat.workspace``)."""
    from ziat import roles, workspace

    from . import selectors

    workspace.register("assessment.scoring", roles=[roles.TRAINER], load=selectors.work_of_scoring, order=20)
