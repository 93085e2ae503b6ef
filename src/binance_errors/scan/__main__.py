"""``python -m binance_errors.scan``."""

import sys

from binance_errors.scan.command import main

sys.exit(main())
