"""`python -m wargame`: the same as the `wargame` command."""

from wargame.command import main

main()
