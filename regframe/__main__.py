"""``python -m regframe`` is the same as the ``regframe`` command."""

import sys

from regframe.cli import main

sys.exit(main())
