"""`voice-service surveys check|list`."""

import click

from ..surveys.loader import check_paths
from ..surveys.model import Problem
from . import AppState, pass_state


@click.group()
def surveys() -> None:
    """Survey, pledge and top-ten files in conversations/."""


@surveys.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@pass_state
def surveys_check(state: AppState, paths: tuple[str, ...], strict: bool) -> None:
    """Validate survey and pledge files (default: the whole conversations folder); exit 1 on any error.

    Also warns, naming the question, about what young people would trip on by text: an invitation with
    no way to say no (no STOP), a choice question whose text never lists its choices, a text longer than
    one SMS. Warnings do not fail the check unless --strict.
    """
    targets = list(paths) or [str(state.config().conversations.folder)]
    warnings: list[Problem] = []
    problems = check_paths(targets, warnings=warnings)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if problems or (strict and warnings):
        raise SystemExit(1)
    noted = f" ({len(warnings)} warning{'' if len(warnings) == 1 else 's'})" if warnings else ""
    click.echo(f"ok{noted}: {', '.join(targets)}")


@surveys.command("list")
@pass_state
def surveys_list(state: AppState) -> None:
    """The surveys loaded from conversations/."""
    services = state.services(require_secrets=False, migrated=False)
    for survey in sorted(services.catalogue.surveys.values(), key=lambda s: s.id):
        who = ", ".join(survey.audience) or "anyone"
        ages = f" {survey.min_age}-{survey.max_age}" if survey.min_age is not None else ""
        click.echo(
            f"{survey.id:<16} v{survey.version}  {len(survey.questions)} questions  for {who}{ages}  {survey.title}"
        )
