"""``python -m regframe.bench``: the national-scale benchmark (see :mod:`regframe.bench.national`).

``python -m regframe.bench digest|growth|incremental`` runs the assessment's own benchmarks
(:mod:`regframe.bench.assess`).
"""

import sys

from regframe.bench import assess
from regframe.bench.national import main

sys.exit(assess.main() if assess.COMMANDS.intersection(sys.argv[1:]) else main())
