"""docker-test as a package, one module per job; run.py next to it is the command."""
