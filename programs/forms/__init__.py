"""Forms of the program screens, one module per area."""
