"""Voice Service: hear from children in care and care leavers, and show them what changed."""

__version__ = "0.1.0"
