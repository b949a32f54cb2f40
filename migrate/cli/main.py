"""The `migrate` command group: one module per subcommand, registered in COMMANDS."""

from __future__ import annotations

import click

from migrate import __version__
from migrate.cli.rules import rules_group
from migrate.cli.run import run_command

COMMANDS: dict[str, click.Command] = {
    "run": run_command,
    "rules": rules_group,
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
