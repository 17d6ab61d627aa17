from django.db.models import Prefetch

from .models import AppendixLine, Certificate


def certificate_for_verification(token):
    """The certificate with its appendix lines, in two queries; None when the token is unknown."""
    lines = Prefetch("lines", queryset=AppendixLine.objects.order_by("position"))
    return Certificate.objects.prefetch_related(lines).filter(token=token).first()


def certificate_for_document(pk):
    lines = Prefetch("lines", queryset=AppendixLine.objects.order_by("position"))
    return Certificate.objects.select_related("enrolment__listener").prefetch_related(lines).filter(pk=pk).first()
