"""Admission orders, contracts, payments, transfers, expulsions and the centre's messages."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import MovementKind
from .core import Cohort, Enrolment, Listener
from .requests import Partner, TeacherRequest

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0.01"))]}


class AdmissionOrder(models.Model):
    """The director's order enrolling listeners of a cohort (001 §18, 003 §4.3); in force once signed."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="admission_orders"
    )
    number = models.CharField(_("order No."), max_length=50)
    issued_on = models.DateField(_("date"))
    responsible = models.TextField(_("responsible persons"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)

    class Meta:
        verbose_name = _("admission order")
        verbose_name_plural = _("admission orders")
        ordering = ["-issued_on", "-pk"]
        permissions = [("sign_admissionorder", _("Can sign admission orders"))]
        constraints = [models.UniqueConstraint(fields=["number", "issued_on"], name="admission_order_number_unique")]

    def __str__(self):
        return _("Order No. %(number)s of %(date)s") % {"number": self.number, "date": self.issued_on}


class Contract(models.Model):
    """The training contract of one enrolment (000 §3.6, 001 §24-25, 003 §6.3-6.7)."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="contract"
    )
    number = models.CharField(_("contract No."), max_length=50, unique=True)
    text = models.TextField(_("text"))
    text_sha256 = models.CharField(_("fingerprint of the text"), max_length=64)
    price = models.DecimalField(_("price, tenge"), max_digits=12, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(_("drawn up"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_sha256 = models.CharField(_("fingerprint of the accepted text"), max_length=64, blank=True)
    accepted_ip = models.GenericIPAddressField(_("accepted from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("training contract")
        verbose_name_plural = _("training contracts")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(accepted_sha256=models.F("text_sha256")),
                name="contract_accepted_text_is_the_text",
            )
        ]

    def __str__(self):
        return _("Contract No. %(number)s") % {"number": self.number}


class Invoice(models.Model):
    """An invoice for a paid course: per contract, or per request of an organisation (003 §6.4)."""

    number = models.CharField(_("invoice No."), max_length=50, unique=True)
    issued_on = models.DateField(_("date"))
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="invoices")
    contract = models.OneToOneField(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, null=True, blank=True, related_name="invoice"
    )
    request = models.OneToOneField(
        TeacherRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice",
    )
    amount = models.DecimalField(_("amount, tenge"), **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract__isnull=False, request__isnull=True)
                | models.Q(contract__isnull=True, request__isnull=False),
                name="invoice_for_a_contract_or_a_request",
            )
        ]

    def __str__(self):
        return _("Invoice No. %(number)s") % {"number": self.number}


class Payment(models.Model):
    """A payment document: number, date, amount, payer, course (003 §6.4)."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments")
    number = models.CharField(_("payment document No."), max_length=50)
    paid_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount, tenge"), **MONEY)
    payer = models.CharField(_("payer"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["invoice", "number", "paid_on"], name="payment_document_unique")]

    def __str__(self):
        return f"{self.number} {self.paid_on:%d.%m.%Y} {self.amount}"


def movement_path(instance, filename):
    return f"enrolment/movements/{instance.enrolment_id}/{filename}"


class Movement(models.Model):
    """A transfer to another cohort, an interruption or a resumption, with its supporting document."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    to_enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("new enrolment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    document = models.FileField(_("supporting document"), upload_to=movement_path)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer or interruption")
        verbose_name_plural = _("transfers and interruptions")
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.enrolment}"


class Expulsion(models.Model):
    """Expulsion for breach of contract by the director's order after the commission's decision (001 §32)."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="expulsion"
    )
    reason = models.TextField(_("breach of the contract"))
    commission_decision = models.CharField(_("commission's decision (No., date)"), max_length=200)
    order_number = models.CharField(_("order No."), max_length=50)
    order_date = models.DateField(_("order date"))
    employer = models.ForeignKey(
        Partner, verbose_name=_("employer"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employer_name = models.CharField(_("employer"), max_length=300, blank=True)
    employer_email = models.EmailField(_("employer's e-mail"), blank=True)
    notified_at = models.DateTimeField(_("employer notified by e-mail"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("expulsion")
        verbose_name_plural = _("expulsions")
        ordering = ["-order_date"]

    def __str__(self):
        return _("Expulsion: %(enrolment)s") % {"enrolment": self.enrolment}


class Mailing(models.Model):
    """One sending of a written message to listeners of a cohort: each recipient gets a ``Message`` of it."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="mailings")
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sending")
        verbose_name_plural = _("sendings")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class Message(models.Model):
    """A message from the centre to a listener, shown in the cabinet and sent by e-mail."""

    listener = models.ForeignKey(
        Listener, verbose_name=_("listener"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    emailed = models.BooleanField(_("sent by e-mail"), default=False)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mailing = models.ForeignKey(
        Mailing,
        verbose_name=_("sending"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject
