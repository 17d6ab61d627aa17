"""Settings: ``base`` for every deployment (from the environment), ``test`` for the test suite."""
