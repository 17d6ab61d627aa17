from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self):
        from ziat import roles, workspace

        from . import access, selectors

        access.register()

        # The staff home's work of this stage (``ziat.workspace``).
        workspace.register("programs.director", roles=[roles.DIRECTOR], load=selectors.work_of_director, order=30)
        workspace.register("programs.methodist", roles=[roles.METHODIST], load=selectors.work_of_methodist, order=10)

        # The discussions' last days are counted again when the government moves a day (``ziat.calendar_decisions``).
        from ziat.calendar_decisions import register_recount

        from .services.workflow import discussions_recount

        register_recount("programs.discussions", discussions_recount)
