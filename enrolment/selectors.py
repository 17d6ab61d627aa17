"""Reads that the enrolment pages need. A listener's attendance (hours, so far, still reachable, the 80% gate)
is read through ``enrolment.attendance.attendance_summaries``, the one computation every page uses."""
