"""`python -m analytics` runs the `workplan` command line."""

import sys

from analytics.cli import main

sys.exit(main())
