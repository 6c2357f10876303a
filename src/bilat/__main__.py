"""``python -m bilat``: the same command line as ``bilat`` (for a venv whose scripts are not
on the path)."""

import sys

from bilat.cli import main

if __name__ == "__main__":
    sys.exit(main())
