"""The joint-inspection gap assessment: evidence in, per setting a status for each requirement, a rating out.

The rules are written once, each in its own module, with the words the reports use beside them:

* :mod:`~regframe.assess.mapping` — which requirements an evidence item bears on (framework data);
* :mod:`~regframe.assess.facts` — which requirements apply to a setting, computed once per kind;
* :mod:`~regframe.assess.status` — the status of a requirement at a setting, and its flags;
* :mod:`~regframe.assess.overdue` — missed deadlines of a requirement's cadence;
* :mod:`~regframe.assess.indicators` — risk indicators against the framework's thresholds;
* :mod:`~regframe.assess.rating` — the overall rating and provider groups;
* :mod:`~regframe.assess.plan` — what every setting of a kind shares, worked out once per kind and as-at date;
* :mod:`~regframe.assess.summary` — what the status rules read of a run of evidence, in figures that add up;
* :mod:`~regframe.assess.classes` — one setting's items by class, each class summarised once;
* :mod:`~regframe.assess.setting` — one setting, orchestrated; :mod:`~regframe.assess.run` — the whole run, and
  :class:`~regframe.assess.run.IncrementalAssessment`, the run kept open for more evidence;
* :mod:`~regframe.assess.results` — what an assessment produces, the contract with the reports;
* :mod:`~regframe.assess.digest` — a fingerprint of what an assessment found, whatever the report.
"""

from regframe.assess.digest import findings_digest
from regframe.assess.facts import ASSESSED_KINDS, FrameworkFacts
from regframe.assess.overdue import cadence_misses
from regframe.assess.rating import provider_groups, rate
from regframe.assess.results import Findings, Reasons, SettingFinding
from regframe.assess.run import IncrementalAssessment, assess
from regframe.assess.status import Judgement, Polarity, Seen, judge, polarity

__all__ = [
    "ASSESSED_KINDS",
    "Findings",
    "FrameworkFacts",
    "IncrementalAssessment",
    "Judgement",
    "Polarity",
    "Reasons",
    "Seen",
    "SettingFinding",
    "assess",
    "cadence_misses",
    "findings_digest",
    "judge",
    "polarity",
    "provider_groups",
    "rate",
]
