"""`voice-service surveys check|list`."""

import click

from ..surveys.loader import check_paths
from . import AppState, pass_state


@click.group()
def surveys() -> None:
    """Survey, pledge and top-ten files in conversations/."""


@surveys.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@pass_state
def surveys_check(state: AppState, paths: tuple[str, ...]) -> None:
    """Validate survey and pledge files (default: the whole conversations folder); exit 1 on any error."""
    targets = list(paths) or [str(state.config().conversations.folder)]
    problems = check_paths(targets)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"ok: {', '.join(targets)}")


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
