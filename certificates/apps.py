from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from . import access, panels  # noqa: F401  (panels: the cabinet's panel of this stage)

        access.register()
        from ziat import roles, workspace

        from .selectors import work_of_issuing

        # The staff home's work of this stage (``ziat.workspace``).
        issuing = [roles.DIRECTOR, roles.REGISTRAR]
        workspace.register("certificates.issuing", roles=issuing, load=work_of_issuing, order=30)

        from . import verification_signals

        verification_signals.connect()

        from ziat.stored_documents import register_finisher

        from .documents import SIGNED_KINDS
        from .pdf_signature import sign_pdf

        # The issued certificates' and appendices' files carry the organisation's PAdES signature.
        for kind in SIGNED_KINDS:
            register_finisher(kind, sign_pdf)
