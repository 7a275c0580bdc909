"""The joint-inspection gap assessment: evidence in, per setting a status for each requirement, a rating out.

The rules are written once, each in its own module, with the words the reports use beside them:

* :mod:`~regframe.assess.mapping` — which requirements an evidence item bears on (framework data);
* :mod:`~regframe.assess.facts` — which requirements apply to a setting, computed once per kind;
* :mod:`~regframe.assess.status` — the status of a requirement at a setting, and its flags;
* :mod:`~regframe.assess.overdue` — missed deadlines of a requirement's cadence;
* :mod:`~regframe.assess.indicators` — risk indicators against the framework's thresholds;
* :mod:`~regframe.assess.rating` — the overall rating and provider groups;
* :mod:`~regframe.assess.setting` — one setting, orchestrated; :mod:`~regframe.assess.run` — the whole run;
* :mod:`~regframe.assess.results` — what an assessment produces, the contract with the reports.
"""

from regframe.assess.facts import ASSESSED_KINDS, FrameworkFacts
from regframe.assess.overdue import cadence_misses
from regframe.assess.rating import provider_groups, rate
from regframe.assess.run import assess
from regframe.assess.status import Judgement, Polarity, Seen, judge, polarity

__all__ = [
    "ASSESSED_KINDS",
    "FrameworkFacts",
    "Judgement",
    "Polarity",
    "Seen",
    "assess",
    "cadence_misses",
    "judge",
    "polarity",
    "provider_groups",
    "rate",
]
