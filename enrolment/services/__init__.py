"""Changes of state in enrolment, one plain function per action, in the modules of this package."""
