"""``python -m hms_desktop`` and the PyInstaller entry point."""

import sys

from hms_desktop.cli import main

sys.exit(main())
