"""The demo data, in one place: programs (the real 40-hour program of seed 004 among them), listeners,
cohorts, requests and applications, the test bank and assessed cohorts. `manage.py seed_demo` loads it
through the same services that the pages call. Monitoring reads every stage, so the demo lives here."""
