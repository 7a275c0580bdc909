"""Benchmark: reading CQC API location records as JSON Lines, against a bare ``json.loads`` loop.

``run(records, workdir)`` writes ``records`` invented location records shaped like the API's
(``/locations/{id}``: five current key question ratings, two historic reports, regulated
activities, service types, specialisms), one in fifteen of them a children's care home in scope
(about the share in CQC's real register extracts: 60 of 901 in the South West file), then times,
each in its own subprocess so that peak RSS is that stage's alone:

* **bare**: ``json.loads`` of every line, touching nothing else: the floor for any reader;
* **regframe**: :func:`regframe.ingest.load_evidence`, which refuses hostile JSON, checks the
  fields that decide scope in every record and every field it reads in the records in scope,
  and makes the ratings evidence items.

Each stage runs ``repeat`` times in turn; its figure is the fastest run (as ``timeit`` takes
it) and every run is listed. Rerun with ``python -m regframe.bench.cqc 100000``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

IN_SCOPE_EVERY = 15
_KEY_QUESTIONS = ("Safe", "Effective", "Caring", "Responsive", "Well-led")
_RATINGS = ("Good", "Good", "Good", "Requires improvement", "Outstanding", "Inadequate")


def record(number: int) -> dict[str, Any]:
    """One invented location record; every ``IN_SCOPE_EVERY``-th serves children."""
    children = number % IN_SCOPE_EVERY == 0
    rating = _RATINGS[number % len(_RATINGS)]
    kq = [{"name": name, "rating": rating, "reportDate": "2024-05-01", "reportLinkId": f"r-{number}-2"}
          for name in _KEY_QUESTIONS]
    return {
        "locationId": f"1-{number:010d}", "providerId": f"1-{number // 7:09d}", "organisationType": "Location",
        "type": "Social Care Org", "name": f"Invented Home {number}", "registrationStatus": "Registered",
        "registrationDate": "2015-03-02", "numberOfBeds": 6 + number % 40, "careHome": "Y",
        "inspectionDirectorate": "Adult social care", "region": "South West", "localAuthority": "Anyshire",
        "postalCode": "ZZ1 1ZZ", "onspdLatitude": 50.72, "onspdLongitude": -3.5,
        "lastInspection": {"date": "2024-04-02"}, "lastReport": {"publicationDate": "2024-05-01"},
        "regulatedActivities": [{"name": "Accommodation for persons who require nursing or personal care",
                                 "code": "RA2", "contacts": [{"personTitle": "Ms", "personGivenName": "A",
                                                              "personFamilyName": "B",
                                                              "personRoles": ["Registered Manager"]}]}],
        "gacServiceTypes": [{"name": "Residential homes", "description": "Care home service without nursing"}],
        "specialisms": [{"name": "Caring for children" if children else "Caring for adults over 65 yrs"},
                        {"name": "Learning disabilities"}],
        "currentRatings": {"overall": {"rating": rating, "reportDate": "2024-05-01", "reportLinkId": f"r-{number}-2",
                                       "keyQuestionRatings": kq}, "reportDate": "2024-05-01"},
        "historicRatings": [
            {"reportLinkId": f"r-{number}-1", "reportDate": "2021-02-01",
             "overall": {"rating": "Good", "keyQuestionRatings": [{"name": n, "rating": "Good"} for n in _KEY_QUESTIONS]}},
            {"reportLinkId": f"r-{number}-0", "reportDate": "2018-01-10",
             "overall": {"rating": "Requires improvement",
                         "keyQuestionRatings": [{"name": n, "rating": "Requires improvement"} for n in _KEY_QUESTIONS]}},
        ],
        "reports": [{"linkId": f"r-{number}-{k}", "reportDate": "2024-05-01", "reportUri": f"/reports/r-{number}-{k}",
                     "firstVisitDate": "2024-04-02", "reportType": "Location"} for k in range(3)],
    }


def generate(path: Path, records: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for number in range(records):
            out.write(json.dumps(record(number)) + "\n")


_BARE = """
import json, resource, sys, time
start = time.perf_counter()
count = 0
with open(sys.argv[1], "rb") as handle:
    for line in handle:
        json.loads(line)
        count += 1
print(json.dumps({"seconds": time.perf_counter() - start, "records": count,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_REGFRAME = """
import json, resource, sys, time
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import load_evidence
start = time.perf_counter()
evidence = load_evidence([sys.argv[1]], key=PseudonymKey.from_text("bench-key-0123456789"))
file = evidence.inputs[0]
print(json.dumps({"seconds": time.perf_counter() - start, "accepted": file.accepted, "rejected": file.rejected,
                  "out_of_scope": file.skipped, "items": len(evidence.items),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _stage(script: str, path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def run(records: int, workdir: Path, repeat: int = 3) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "cqc-locations.jsonl"
    generate(path, records)
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "regframe": []}
    for _round in range(repeat):
        runs["bare"].append(_stage(_BARE, path))
        runs["regframe"].append(_stage(_REGFRAME, path))
    best = {stage: min(found, key=lambda r: r["seconds"]) for stage, found in runs.items()}
    return {
        "records": records, "file_mb": round(path.stat().st_size / 1e6, 1),
        "bare_seconds": round(best["bare"]["seconds"], 2), "regframe_seconds": round(best["regframe"]["seconds"], 2),
        "ratio": round(best["regframe"]["seconds"] / best["bare"]["seconds"], 1),
        "regframe_peak_rss_mb": round(best["regframe"]["peak_rss_mb"]),
        "accepted": best["regframe"]["accepted"], "out_of_scope": best["regframe"]["out_of_scope"],
        "items": best["regframe"]["items"],
        "runs": {stage: [round(r["seconds"], 2) for r in found] for stage, found in runs.items()},
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m regframe.bench.cqc", description=__doc__.splitlines()[0])
    parser.add_argument("records", type=int, nargs="?", default=100_000)
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.records, args.out, args.repeat), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
