"""Changes of state in enrolment, one plain function per action (see the modules of this package)."""

from .core import (
    SEAT_STATES,
    attendance_save,
    cohort_check_program,
    enrolment_admit,
    enrolment_create,
    listener_create,
    listener_update,
    seats_taken,
)

__all__ = [
    "SEAT_STATES",
    "attendance_save",
    "cohort_check_program",
    "enrolment_admit",
    "enrolment_create",
    "listener_create",
    "listener_update",
    "seats_taken",
]
