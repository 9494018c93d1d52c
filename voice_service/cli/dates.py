"""A command-line option that takes a date as a UK council worker writes it, read by `voice_service.dates`."""

from __future__ import annotations

from datetime import date

import click

from ..dates import DateError, parse_uk_date


class UKDate(click.ParamType):
    """A day: 2026-12-19, 19/12/2026, 19 Dec 2026 or 19 December 2026 (a 2-digit year is refused)."""

    name = "date"

    def convert(self, value, param, ctx) -> date:
        """The date typed, or a usage error saying why it cannot be read."""
        if isinstance(value, date):
            return value
        try:
            return parse_uk_date(str(value), label="The date")
        except DateError as error:
            self.fail(str(error), param, ctx)


UK_DATE = UKDate()
