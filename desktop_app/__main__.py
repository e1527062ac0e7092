"""python -m desktop_app: the application, or a command-line subcommand."""

import sys

from desktop_app.cli import main

sys.exit(main())
