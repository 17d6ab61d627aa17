from django.db.models import Prefetch

from .models import AppendixLine, Certificate


def certificate_for_document(pk):
    lines = Prefetch("lines", queryset=AppendixLine.objects.order_by("position"))
    return (
        Certificate.objects.select_related("enrolment__listener", "certificate_document", "appendix_document")
        .prefetch_related(lines)
        .filter(pk=pk)
        .first()
    )
