"""Staff roles as groups with permissions.

Each role sees and changes only what its job needs (SPEC "People"). Listeners are users with a
listener profile and no group; they never reach the back-office.
"""

from django.utils.translation import gettext_lazy as _

DIRECTOR = "director"
METHODIST = "methodist"
REGISTRAR = "registrar"
TRAINER = "trainer"
ACCOUNTANT = "accountant"
MONITORING = "monitoring"

ROLE_NAMES = {
    DIRECTOR: _("Director"),
    METHODIST: _("Methodist"),
    REGISTRAR: _("Registrar"),
    TRAINER: _("Trainer"),
    ACCOUNTANT: _("Accountant"),
    MONITORING: _("Monitoring officer"),
}

_PROGRAM_MODELS = ["program", "programversion", "versiontext", "module", "topic"]
# Needs analysis, discussion, the state body's agreement and the methodical complex.
_PROGRAM_PROCESS_MODELS = [
    "needssurvey",
    "surveyquestion",
    "surveyoption",
    "legislationreview",
    "councilminutes",
    "developmentorder",
    "discussion",
    "discussioncomment",
    "submission",
    "stateremark",
    "complexitem",
]
_ENROLMENT_MODELS = ["cohort", "session", "listener", "enrolment", "studygroup"]
# Requests, applications, admission, contracts, movements and messages (the registrar's desk).
_ADMISSION_MODELS = [
    "partner",
    "representative",
    "teacherrequest",
    "requestedteacher",
    "application",
    "applicationdocument",
    "admissionorder",
    "contract",
    "movement",
    "message",
    # The planning chain (001 §§10-18): applications, plans, the schedule's agreements, referral orders.
    "planapplication",
    "plan",
    "planline",
    "scheduleagreement",
    "referralorder",
    "latedecision",
]
_MONEY_MODELS = ["invoice", "payment"]
# Post-course support (000 §4.3): the plan, consultations, publications, events, follow-ups.
_SUPPORT_MODELS = [
    "supportperiod",
    "supportactivity",
    "consultation",
    "consultationmessage",
    "publication",
    "publicationcomment",
    "supportevent",
    "eventregistration",
    "followup",
    "schoolobservation",
]
# What monitoring keeps of its own (000 §4.5, 001 §19, §38).
_MONITORING_MODELS = [
    "satisfactiontally",
    "satisfactioncomment",
    "satisfactionreceipt",
    "selfanalysis",
    "effectivenessreview",
    "nobddeadline",
]


def _crud(app, models, actions=("add", "change", "delete", "view")):
    return [f"{app}.{action}_{model}" for model in models for action in actions]


def _view(app, models):
    return _crud(app, models, actions=("view",))


# The program's test bank and assessment rules, kept by methodists (000 §2.11).
_ASSESSMENT_CONFIG_MODELS = ["bankversion", "question", "option", "assessmentscheme", "rubriccriterion"]
# What listeners hand in: attempts at tests and project works with their scores.
_ASSESSMENT_WORK_MODELS = ["attempt", "attemptitem", "projectwork", "criterionscore"]

ROLE_PERMISSIONS = {
    DIRECTOR: [
        *_crud("programs", _PROGRAM_MODELS),
        *_crud("programs", _PROGRAM_PROCESS_MODELS),
        *_view("programs", ["surveyresponse", "programstatuschange"]),
        "programs.approve_program",
        *_crud("enrolment", _ENROLMENT_MODELS),
        *_crud("enrolment", _ADMISSION_MODELS),
        *_crud("enrolment", ["expulsion"]),
        *_view("enrolment", _MONEY_MODELS),
        "enrolment.sign_admissionorder",
        *_crud("enrolment", ["trainer"]),
        *_view("enrolment", ["checkin", "attendance"]),
        "enrolment.mark_attendance",
        *_crud("assessment", ["finalresult", "modulegrade"]),
        *_crud("assessment", _ASSESSMENT_CONFIG_MODELS),
        *_crud("assessment", ["cohorttest", "reassessment", "externalassessment"]),
        *_view("assessment", _ASSESSMENT_WORK_MODELS),
        *_view("certificates", ["certificate", "appendixline"]),
        "certificates.issue_certificate",
        "certificates.revoke_certificate",
        *_view("postcourse", _SUPPORT_MODELS),
        *_crud("postcourse", ["supportactivity", "supportevent"]),
        *_view("monitoring", _MONITORING_MODELS),
        "monitoring.change_effectivenessreview",
        "monitoring.approve_effectivenessreview",
        "monitoring.change_nobddeadline",
        "ziat.change_organisation",
        "ziat.view_organisation",
        "ziat.view_activitylog",
        *_crud("ziat", ["calendarday"]),
    ],
    METHODIST: [
        *_crud("enrolment", ["trainer"], actions=("add", "change", "view")),
        *_crud("programs", _PROGRAM_MODELS),
        *_crud("programs", [m for m in _PROGRAM_PROCESS_MODELS if m != "developmentorder"]),
        *_view("programs", ["developmentorder", "surveyresponse", "programstatuschange"]),
        *_view("enrolment", ["cohort", "session"]),
        *_crud("assessment", _ASSESSMENT_CONFIG_MODELS),
        *_crud("assessment", ["cohorttest"]),
        *_view("assessment", _ASSESSMENT_WORK_MODELS),
        # The program's head plans and leads the support (000 §4.2) and concludes the review (001 §38).
        *_view("postcourse", _SUPPORT_MODELS),
        *_crud(
            "postcourse", ["supportactivity", "supportevent", "eventregistration"], actions=("add", "change", "view")
        ),
        *_crud("postcourse", ["consultation", "publication"], actions=("change", "view")),
        *_crud("postcourse", ["consultationmessage", "publicationcomment"], actions=("add", "view")),
        # Handling a listener's request for more support after a follow-up questionnaire (001 §34).
        "postcourse.change_followup",
        *_view("monitoring", _MONITORING_MODELS),
        *_crud("monitoring", ["effectivenessreview"], actions=("add", "change", "view")),
        # As an organiser of the courses, their self-analysis after each (000 §4.5 6)).
        "monitoring.add_selfanalysis",
        # The discussion's and the state body's deadlines count in working days.
        *_view("ziat", ["calendarday"]),
    ],
    REGISTRAR: [
        *_view("programs", _PROGRAM_MODELS),
        *_crud("enrolment", _ENROLMENT_MODELS),
        *_crud("enrolment", _ADMISSION_MODELS),
        *_view("enrolment", ["expulsion", "trainer", "checkin", "attendance", *_MONEY_MODELS]),
        *_view("assessment", ["finalresult"]),
        *_view("assessment", _ASSESSMENT_CONFIG_MODELS),
        *_crud("assessment", ["cohorttest", "reassessment", "externalassessment"]),
        *_view("assessment", _ASSESSMENT_WORK_MODELS),
        *_view("certificates", ["certificate", "appendixline"]),
        *_view("ziat", ["calendarday"]),
        *_view("postcourse", ["supportperiod", "supportactivity", "supportevent", "eventregistration", "followup"]),
        "postcourse.change_eventregistration",
        *_view("monitoring", ["nobddeadline"]),
        "monitoring.change_nobddeadline",
        # As an organiser of the courses, their self-analysis after each (000 §4.5 6)).
        *_crud("monitoring", ["selfanalysis"], actions=("add", "view")),
    ],
    TRAINER: [
        *_view("programs", _PROGRAM_MODELS),
        *_view("enrolment", ["cohort", "session", "enrolment", "trainer", "checkin", "attendance"]),
        "enrolment.mark_attendance",
        # Writing to the listeners of the cohorts they teach (the page and the service check the cohort).
        *_crud("enrolment", ["message"], actions=("add", "view")),
        *_crud("assessment", ["finalresult", "modulegrade"], actions=("add", "change", "view")),
        *_view("assessment", _ASSESSMENT_CONFIG_MODELS),
        *_view("assessment", ["cohorttest", "reassessment", "externalassessment", *_ASSESSMENT_WORK_MODELS]),
        "assessment.change_projectwork",
        # Support of the cohorts they teach, and their self-analysis after each (000 §4.3, §4.5 6)).
        *_view("postcourse", _SUPPORT_MODELS),
        *_crud("postcourse", ["consultation", "publication", "supportactivity"], actions=("change", "view")),
        *_crud("postcourse", ["consultationmessage", "publicationcomment"], actions=("add", "view")),
        "postcourse.change_eventregistration",
        "postcourse.change_followup",
        *_crud("monitoring", ["selfanalysis"], actions=("add", "view")),
        *_view("monitoring", ["satisfactiontally", "satisfactioncomment"]),
    ],
    ACCOUNTANT: [
        *_view("programs", ["program"]),
        *_view("enrolment", ["cohort", "enrolment", "listener", "contract", "teacherrequest", "partner"]),
        *_crud("enrolment", _MONEY_MODELS, actions=("add", "change", "view")),
    ],
    MONITORING: [
        *_view("programs", _PROGRAM_MODELS),
        # The planning chain's figures (001 §§10-18): plans, their teachers and the schedule's agreements.
        *_view("enrolment", ["plan", "planline", "scheduleagreement"]),
        *_view("programs", ["needssurvey", "surveyresponse", "councilminutes"]),
        *_view("enrolment", ["cohort", "session", "enrolment"]),
        *_view("assessment", ["finalresult", "modulegrade"]),
        *_view("assessment", ["cohorttest", "reassessment", "externalassessment", *_ASSESSMENT_WORK_MODELS]),
        *_view("certificates", ["certificate", "appendixline"]),
        *_view("postcourse", _SUPPORT_MODELS),
        *_view("monitoring", _MONITORING_MODELS),
        *_crud("monitoring", ["effectivenessreview"], actions=("add", "view")),
        "ziat.view_activitylog",
    ],
}


def sync_roles(sender=None, using="default", **kwargs):
    """Create the role groups and give each exactly its permissions (idempotent, after every migrate)."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if sender is not None and sender.name != list(apps.get_app_configs())[-1].name:
        return
    perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([perms[name] for name in names if name in perms])


def user_roles(user):
    return set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
