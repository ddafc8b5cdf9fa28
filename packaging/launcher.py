"""Start Scrutineer from the frozen bundle, exactly as the ``scrutineer`` console script does."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
