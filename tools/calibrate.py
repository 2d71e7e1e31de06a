"""Measure the noise rule's calibration by simulation and store it: results/calibration.json and the README table.

    python tools/calibrate.py            # 4,000 trials per design and gap (about a minute on 2 cores)
    python tools/calibrate.py --check    # change nothing; exit status 1 if the README table differs from the JSON

The simulation is utils.calibration's; tests/test_verdicts_calibration.py re-runs a smaller one on every test run.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from utils.calibration import calibration_markdown, calibration_table  # noqa: E402
from utils.results import write_json_atomically  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
from readme_block import set_block  # noqa: E402

STORED = ROOT / "results" / "calibration.json"
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if the README table differs")
    parser.add_argument("--trials", type=int, default=4000)
    args = parser.parse_args(argv)
    if args.check:
        rows = json.loads(STORED.read_text(encoding="utf-8"))["rows"]
        if set_block("calibration", calibration_markdown(rows), check=True):
            print("README.md: the calibration table differs from results/calibration.json (run tools/calibrate.py)")
            return 1
        return 0
    rows = calibration_table(trials=args.trials)
    write_json_atomically(STORED, {"trials": args.trials, "rows": rows})
    set_block("calibration", calibration_markdown(rows))
    print(calibration_markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
