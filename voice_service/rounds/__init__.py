"""Feedback rounds: choose a cohort, queue invitations, close."""
