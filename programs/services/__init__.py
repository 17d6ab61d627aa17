"""Changes of state of programs, one plain function per action, in the modules of this package."""
