"""What the budget engine tells the layers above it, which it does not import."""

from django.dispatch import Signal

# Sent in the transaction that stored applications' budget figures; ``application_ids``.
figures_stored = Signal()
