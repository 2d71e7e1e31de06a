"""Measure the noise rule's calibration by simulation and store it in results/calibration.json.

    python tools/calibrate.py            # 4,000 trials per design and gap (about a minute on 2 cores)
    python tools/calibrate.py --check    # change nothing; exit status 1 if the JSON lacks a design of the simulation

The simulation is utils.calibration's; appendix A1 runs a smaller one and reads it, and
tests/test_verdicts_calibration.py re-runs one on every test run.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from utils.calibration import DESIGNS, calibration_markdown, calibration_table  # noqa: E402
from utils.results import write_json_atomically  # noqa: E402

STORED = ROOT / "results" / "calibration.json"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if the stored designs differ")
    parser.add_argument("--trials", type=int, default=4000)
    args = parser.parse_args(argv)
    if args.check:
        stored = json.loads(STORED.read_text(encoding="utf-8")) if STORED.is_file() else {}
        designs = [row.get("design") for row in stored.get("rows", [])]
        if designs != list(DESIGNS):
            print(f"results/calibration.json holds designs {designs}, not {list(DESIGNS)} (run tools/calibrate.py)")
            return 1
        return 0
    rows = calibration_table(trials=args.trials)
    write_json_atomically(STORED, {"trials": args.trials, "rows": rows})
    print(calibration_markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
