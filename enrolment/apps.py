from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self):
        from . import access, panels  # noqa: F401  (panels: the cabinet's panel of this stage)

        access.register()
        _register_work()
        _register_pruning()


def _register_work():
    """The staff home's work of this stage (``ziat.workspace``)."""
    from ziat import roles, workspace

    from . import selectors

    workspace.register("enrolment.director", roles=[roles.DIRECTOR], load=selectors.work_of_director, order=20)
    workspace.register("enrolment.registrar", roles=[roles.REGISTRAR], load=selectors.work_of_registrar, order=20)
    workspace.register("enrolment.accountant", roles=[roles.ACCOUNTANT], load=selectors.work_of_accountant, order=20)
    workspace.register("enrolment.trainer", roles=[roles.TRAINER], load=selectors.work_of_trainer, order=10)


def _register_pruning():
    """The drafts this stage keeps only for a while (``ziat.pruning``)."""
    from ziat import pruning

    from .services.drafts import drafts_prune

    pruning.register("enrolment.drafts", drafts_prune)
