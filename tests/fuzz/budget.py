"""The fuzz tests' shared time budget: how many examples each property tries (REGFRAME_FUZZ_EXAMPLES, default 60).

A minimal stand-in: the fuzz framework's own budget replaces it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

fuzz = settings(max_examples=int(os.environ.get("REGFRAME_FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=list(HealthCheck))
