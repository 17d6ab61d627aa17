"""The form of a session of a cohort's timetable: the topic comes from the plan of the cohort's version."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.enums import ActivityKind
from ziat.forms import EMPTY_CHOICE

from .schedule import DateInput


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class SessionForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("starts at"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("ends at"), widget=TimeInput())
    topic = forms.TypedChoiceField(label=_("topic"), coerce=int)
    kind = forms.ChoiceField(label=_("activity"), choices=ActivityKind.choices)
    hours = forms.DecimalField(
        label=_("academic hours"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        step_size=Decimal("0.5"),
        initial=Decimal("2"),
    )
    trainer = TrainerChoiceField(label=_("trainer"), queryset=get_user_model().objects.none(), required=False)
    place = forms.CharField(
        label=_("room or online link"),
        max_length=300,
        required=False,
        help_text=_("A room (e.g. 204) or the link of an online session."),
    )
    on_day_off = forms.BooleanField(
        label=_("the session is held on a day off"),
        required=False,
        help_text=_("Tick only for a session deliberately set on a weekend or public holiday."),
    )

    def __init__(self, *args, version, session=None, **kwargs):
        """``version``: the cohort's program version with its plan loaded (``version_with_plan``)."""
        if session is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "date": session.date,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "topic": session.topic_id,
                "kind": session.kind,
                "hours": session.hours,
                "trainer": session.trainer_id,
                "place": session.place,
            }
        super().__init__(*args, **kwargs)
        self.topics = {}
        choices = [EMPTY_CHOICE]
        for module in version.modules.all():
            options = []
            for topic in module.topics.all():
                self.topics[topic.pk] = topic
                options.append((topic.pk, str(topic)))
            if options:
                choices.append((f"{module.position}. {module.title}", options))
        self.fields["topic"].choices = choices
        active = Q(trainer__is_active=True)
        if session is not None and session.trainer_id:
            active |= Q(pk=session.trainer_id)
        self.fields["trainer"].queryset = get_user_model().objects.filter(active).order_by("last_name", "first_name")

    def clean_topic(self):
        return self.topics[self.cleaned_data["topic"]]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data
