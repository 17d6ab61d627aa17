"""Changes of state in assessment, one plain function per action, in the modules of this package."""
