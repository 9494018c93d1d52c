"""Imported by Python at start-up in every process the tests start (tests/conftest.py puts this
folder on their PYTHONPATH): mends `time.sleep` under libfaketime 0.9.10 (see libfaketime_sleep.py)."""

from libfaketime_sleep import mend

mend()
