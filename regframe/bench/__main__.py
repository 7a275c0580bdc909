"""``python -m regframe.bench``: the national-scale benchmark (see :mod:`regframe.bench.national`)."""

import sys

from regframe.bench.national import main

sys.exit(main())
