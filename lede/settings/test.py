"""Settings for the test suite: everything from `base`, with what every test wants and no test checks.

pytest uses this module (pyproject.toml); so do the Celery worker processes the worker tests start.
"""

from .base import *  # noqa: F403

# PBKDF2 at full strength costs a good part of a second for every user created or signed in; the
# hash is not what the tests check (tests/annotator/test_settings.py checks the production settings).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Without a broker the demo recomputes reports in a thread after the response; that thread has its
# own database connection and cannot see a test's open transaction, so tests recompute in the call
# that queues the task. tests/claims/test_in_process.py turns the thread back on.
AGREEMENT_RECOMPUTE_IN_BACKGROUND = False

# Django's test client signs in without a request, which django-axes refuses; the tests of
# sign-in throttling turn it back on (tests/annotator/test_signin.py).
AXES_ENABLED = False

# No test, and no worker a test starts, fetches a page from beyond 127.0.0.0/8, whatever URL it (or
# schemathesis) sends: pages come from the local server of tests/web_pages.py.
LEDE_FETCH_LOOPBACK_ONLY = True

# Every label a test saves reruns the project report, and with it this many refits of Dawid-Skene and MACE:
# tests/claims/test_competence.py checks the intervals with its own number of resamples.
COMPETENCE_RESAMPLES = 20
