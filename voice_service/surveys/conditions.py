"""Branch conditions: a `when` written in a survey file, parsed and compiled once, when the survey loads.

A survey owns its grammar, so the loader checks conditions with the same code that
runs them, and the engine only calls the compiled test.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from voice_service.surveys.model import Question

_COMPARISON = re.compile(r"^(<=|>=|==|!=|=|<|>)\s*(-?\d+)$")
_RANGE = re.compile(r"^(-?\d+)\s*(?:-|to|\.\.)\s*(-?\d+)$")
_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
}
ANY = "any"


def compile_when(when: str, question: Question) -> Callable[[object], bool]:
    """Turn a branch `when` into a test on an answer's value; ValueError (in plain words) if invalid.

    "any" matches every answer, even a skipped or unreadable one, so it works as
    "otherwise". Scale: "<= 2", ">3", "== 5", "1-2" or "4"; yes_no: "yes"/"no";
    choice: one of the choices. Text questions allow only "any".
    """
    expression = when.strip().lower()
    if expression == ANY:
        return lambda value: True
    if question.kind == "scale":
        if match := _COMPARISON.match(expression):
            operator, limit = _COMPARE[match[1]], int(match[2])
            return lambda value: isinstance(value, int) and operator(value, limit)
        if match := _RANGE.match(expression):
            low, high = int(match[1]), int(match[2])
            if low > high:
                raise ValueError(f"the range {when!r} goes backwards: put the smaller number first")
            return lambda value: isinstance(value, int) and low <= value <= high
        if re.fullmatch(r"-?\d+", expression):
            number = int(expression)
            return lambda value: value == number
        raise ValueError(
            f"{when!r} isn't a condition a scale answer can meet: use a comparison "
            'like "<= 2", a range like "1-2", a number, or "any"'
        )
    if question.kind == "yes_no":
        if expression in ("yes", "no"):
            wanted = expression == "yes"
            return lambda value: value is wanted
        raise ValueError(f'{when!r} doesn\'t fit a yes/no question: use "yes", "no" or "any"')
    if question.kind == "choice":
        chosen = next((choice for choice in question.choices if expression == choice.strip().lower()), None)
        if chosen is not None:
            return lambda value: value == chosen
        raise ValueError(f'{when!r} isn\'t one of the choices ({", ".join(question.choices)}) or "any"')
    raise ValueError(f'text questions can only branch with when = "any", not {when!r}')
