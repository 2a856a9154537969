"""``python -m o2osim`` runs the command line."""

from o2osim.cli import main

raise SystemExit(main())
