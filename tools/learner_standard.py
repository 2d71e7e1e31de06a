"""How much a learner has to read in each notebook, and the course's standard for it.

    python tools/learner_standard.py          # the table for every notebook, and what is over its limit

Measured from the notebooks alone (their sources and stored outputs), per notebook:
  words      prose words (markdown cells)
  code       code lines, not blank and not comments, the setup cell left out
  max md     words of the longest markdown cell
  num/100w   numbers quoted in prose per 100 words (tables and printed outputs carry numbers better)
  stats      statistics vocabulary in prose (Welch, Holm, Newey-West, Fisher, QLIKE, CRPS, p-values, ...)
  max cell   lines of the longest code cell (the setup cell included)
  figures    figures and HTML tables among the stored outputs
  read min   an estimate: prose at 180 words/min + code at 15 lines/min + 1.5 min per figure or table

A lesson at the standard stays within ``LIMITS``; the statistics limit does not apply to the appendices
(``A<k>_*.ipynb``), which is where the statistics live. Lessons not yet brought to the standard are held to their
figures of the day they were listed (``CEILINGS``): they may only get lighter. tests/test_learner_standard.py
checks both; when a lesson meets the standard, its entry leaves ``CEILINGS``.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from sync_setup_cell import course_notebooks  # noqa: E402

LIMITS = {"read min": 30, "max md": 250, "num/100w": 5.0, "stats": 4, "max cell": 30}
COURSE_HOURS = 6.0  # the whole course, appendices included, once every lesson is at the standard
OPENING_WORDS = 120  # the first cell: what you build, what you learn, what you need, the run time
LEARNED_BULLETS = 6  # "What we learned"

# Lessons still above the limits: their figures on 2026-12-07, which they may not exceed where they were above the
# limit (a measure within its limit only has to stay within it).
CEILINGS = {
    "09": {"read min": 25.4, "max md": 301, "num/100w": 9.3, "stats": 3, "max cell": 26},
    "10": {"read min": 59.2, "max md": 282, "num/100w": 7.2, "stats": 1, "max cell": 35},
}
COURSE_HOURS_CEILING = 5.9  # the course on 2026-12-08, 00-08 at the standard (8.3 h before 2026-12-07); may only fall

STATS = re.compile(r"Welch|Satterthwaite|Holm|Newey|Diebold|Bonferroni|Fisher|QLIKE|CRPS|Mann.Whitney|"
                   r"p-values?\b|\bp = 0\.|degrees of freedom|heteroskedastic|autocorrelation-robust", re.I)
NUMBER = re.compile(r"(?<![\w.])[-+−]?\d[\d,]*(?:\.\d+)?%?")


def notebooks(root: Path = ROOT) -> list[Path]:
    """The lessons in order, then the appendices (tools/sync_setup_cell.py's list, the one every tool uses)."""
    return course_notebooks(root)


def measure(path: Path) -> dict:
    """The figures of one notebook (see the module's docstring)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    md = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    words = [len(m.split()) for m in md]
    prose = "\n".join(md)
    lines = sum(1 for c in code[1:] for line in c.splitlines()
                if line.strip() and not line.strip().startswith("#"))
    shown = sum(1 for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])
                if "data" in o and ("image/png" in o["data"] or "text/html" in o["data"]))
    total = sum(words)
    return {"words": total, "code": lines, "max md": max(words or [0]),
            "num/100w": round(100 * len(NUMBER.findall(prose)) / max(1, total), 1),
            "stats": len(STATS.findall(prose)),
            "max cell": max((len(c.splitlines()) for c in code), default=0), "figures": shown,
            "read min": round(total / 180 + lines / 15 + 1.5 * shown, 1)}


def over(name: str, row: dict) -> list[str]:
    """What in ``row`` (the figures of notebook ``name``) exceeds its limits or, for a listed lesson, its ceilings."""
    ceiling = CEILINGS.get(name[:2])
    if ceiling is not None:  # within the limit, or at most today's figure where that was above it
        return [f"{k} {row[k]} > {max(ceiling[k], LIMITS[k])} (its ceiling)" for k in ceiling
                if row[k] > max(ceiling[k], LIMITS[k])]
    appendix = name.startswith("A")
    return [f"{k} {row[k]} > {limit}" for k, limit in LIMITS.items()
            if row[k] > limit and not (appendix and k == "stats")]


def main() -> int:
    rows = {path.name: measure(path) for path in notebooks()}
    keys = ["words", "code", "max md", "num/100w", "stats", "max cell", "figures", "read min"]
    print(f"{'notebook':<40}" + "".join(f"{k:>10}" for k in keys))
    for name, row in rows.items():
        flags = over(name, row)
        note = "   <- " + "; ".join(flags) if flags else ("   (ceilings)" if name[:2] in CEILINGS else "")
        print(f"{name[:39]:<40}" + "".join(f"{row[k]:>10}" for k in keys) + note)
    hours = sum(r["read min"] for r in rows.values()) / 60
    print(f"course: ~{hours:.1f} h of reading (now at most {COURSE_HOURS_CEILING} h; the standard: {COURSE_HOURS} h)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
