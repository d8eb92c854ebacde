"""`python -m toc` runs the command line."""

import sys

from toc.cli import main

if __name__ == "__main__":
    sys.exit(main())
