"""Participants: import from CSV, look up by phone, opt-out register."""
