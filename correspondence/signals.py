"""Signals for the apps above and beside this one (notifications): sent inside the writing
service's transaction, so a rolled-back write signals nothing that stays."""

from django.dispatch import Signal

# Sent with ``message`` (a saved Message, its attachments saved too) after a message is posted.
message_posted = Signal()
