"""`python -m tracker.cli`: the same command line as the `tracker` script."""

from tracker.cli import main

main()
