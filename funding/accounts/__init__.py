"""Logging in safely (issue 13): failed logins locked out with django-axes, the second factor
(TOTP and recovery codes) with django-otp, and password reset by e-mail."""
