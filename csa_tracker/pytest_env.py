"""Loaded by pytest with -p before Django starts: the environment the test suite runs in."""

import os

# Tests run with DEBUG off, like production; they need a key of their own.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
