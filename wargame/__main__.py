"""`python -m wargame`: the same as the `wargame` command."""

from wargame.cli import main

main(prog_name="wargame")
