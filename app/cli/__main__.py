"""`python -m app.cli` runs the traject command."""

import sys

from app.cli import main

sys.exit(main())
