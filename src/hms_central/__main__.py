"""``python -m hms_central``."""

import sys

from hms_central.cli import main

sys.exit(main())
