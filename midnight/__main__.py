"""`python -m midnight` runs the command line."""

from midnight.cli import main

raise SystemExit(main())
