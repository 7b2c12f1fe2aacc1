"""The desktop build's entry point: the same `traject` command the wheel installs."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
