"""A dashboard form's problems, all at once: the GOV.UK error summary lists every wrong field together,
each linked to its input, so a worker fixes the form in one go rather than one error at a time."""

from __future__ import annotations

Problem = tuple[str, str, tuple[str, ...]]  # (field, message, a date's wrong boxes: day, month, year)


class FormProblems(ValueError):
    """A form that cannot be used. `problems` lists every wrong field in the form's order; `field`, `parts`
    and the message are the first one's (for callers that show one)."""

    def __init__(self, field: str, message: str, parts: tuple[str, ...] = ()):
        super().__init__(message)
        self.field = field
        self.parts = parts
        self.problems: list[Problem] = [(field, message, parts)]

    @classmethod
    def of(cls, problems: list[Problem]):
        """One error carrying every problem found (at least one)."""
        error = cls(*problems[0])
        error.problems = list(problems)
        return error

    def errors(self) -> dict[str, str]:
        """Each wrong field's message, for the page's error summary and the field's own message."""
        return {field: message for field, message, _ in self.problems}

    def wrong(self) -> dict[str, tuple[str, ...]]:
        """Each wrong field's date boxes to mark (empty for fields that are not dates)."""
        return {field: parts for field, _, parts in self.problems}


class Problems:
    """Collects a form's problems as it is read, the first one per field."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, field: str, message: str, parts: tuple[str, ...] = ()) -> None:
        """Note a problem with a field, unless that field already has one."""
        if all(known != field for known, _, _ in self.found):
            self.found.append((field, message, parts))

    def __contains__(self, field: str) -> bool:
        return any(known == field for known, _, _ in self.found)

    def raise_if_any(self, error_type: type[FormProblems]) -> None:
        """Raise `error_type` with every problem found, if there are any."""
        if self.found:
            raise error_type.of(self.found)
