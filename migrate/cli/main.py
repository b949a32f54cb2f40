"""The `migrate` command group: one module per subcommand, registered in COMMANDS."""

from __future__ import annotations

import click

from migrate import __version__
from migrate.cli.diff import diff_command
from migrate.cli.history import history_command
from migrate.cli.init import init_command
from migrate.cli.load import load_command
from migrate.cli.profile import profile_command
from migrate.cli.reconcile import reconcile_command
from migrate.cli.review import review_group
from migrate.cli.rollback import rollback_command
from migrate.cli.rules import rules_group
from migrate.cli.run import run_command
from migrate.cli.validate import validate_command

COMMANDS: dict[str, click.Command] = {
    "run": run_command,
    "rules": rules_group,
    "review": review_group,
    "validate": validate_command,
    "profile": profile_command,
    "init": init_command,
    "history": history_command,
    "diff": diff_command,
    "load": load_command,
    "reconcile": reconcile_command,
    "rollback": rollback_command,
}


@click.group(invoke_without_command=True)
@click.version_option(__version__, prog_name="migrate")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Validate, cleanse, deduplicate and load legacy data, with a ledger of every row.

    Without a subcommand, runs the project in the current folder (`migrate run`).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(run_command)


for _name, _command in COMMANDS.items():
    cli.add_command(_command, _name)


def main() -> None:
    """Console-script entry point."""
    cli()
