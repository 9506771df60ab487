"""`python -m bimtek_kit` runs the command-line interface."""

from bimtek_kit.cli import main

main()
