"""The kernel every app builds on: money, the clock, history helpers, roles, admin service forms,
API fields and permissions. It imports no app of this project (checked by import-linter)."""
