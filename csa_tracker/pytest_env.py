"""Loaded by pytest with -p before Django starts: the environment the test suite runs in."""

import os

# Tests run with DEBUG off, like production; they need a key of their own.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# The test client speaks plain HTTP and the suite does not run collectstatic; the production
# values of both are checked by tests/site/test_security_headers.py.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
