"""bench/results.json: the latest figures of `make bench` and `make load`, as nested objects.

Figures are named with dotted keys where they are made ("throughput.post_rps") and stored
nested: results["throughput"]["post_rps"]. Saving a section ("throughput") replaces it
whole, so figures from an earlier run of another section stay.
"""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def nest(figures: dict[str, object]) -> dict[str, object]:
    nested: dict[str, object] = {}
    for key, value in figures.items():
        *path, last = key.split(".")
        place = nested
        for part in path:
            place = place.setdefault(part, {})
        place[last] = value
    return nested


def save(figures: dict[str, object]) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    # Dotted keys at the top level are from before the figures were nested.
    results = {key: value for key, value in results.items() if "." not in key}
    results.update(nest(figures))
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
