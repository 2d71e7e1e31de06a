"""Keep the line under each lesson's title true (its full-mode time, its claims) and the README's list of claims.

    python tools/lesson_headers.py          # rewrite what differs (tools/run_course.py does this after a run)
    python tools/lesson_headers.py --check  # change nothing; exit status 1 if a line or the list is out of date

The line is the paragraph of the first (markdown) cell that starts with ``**Time:**``, placed just above the
Open-in-Colab badge. It says how long the lesson took in the stored full-mode run on the machine the run log
records, and (from lesson 01 on) which of the course's claims (``utils.claims``) the lesson measures, with a
link to the README's list of claims. Only that paragraph changes; the file's JSON layout stays nbformat's.
The README's list of claims, between its ``claims:start`` and ``claims:end`` comments, is ``utils.claims``'
table.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from readme_block import set_block  # noqa: E402
from sync_setup_cell import course_notebooks, notebook_text  # noqa: E402

from utils.claims import claims_markdown, claims_of_lesson  # noqa: E402

MARKER = "**Time:**"
CLAIMS_ANCHOR = "#the-claims-the-course-tests"


def repository_url() -> str:
    """The course's GitHub address, as the setup cell writes it (the one place it is written)."""
    cell = (ROOT / "tools" / "colab_setup_cell.py").read_text(encoding="utf-8")
    found = re.search(r'"(https://github\.com/[^"]+)"', cell)
    if not found:
        raise SystemExit("tools/colab_setup_cell.py: no https://github.com/... address for COURSE_REPO")
    return found.group(1).removesuffix(".git")


def duration(seconds: float) -> str:
    """'under a minute', 'about 3.4 minutes', 'about 15 minutes'."""
    minutes = seconds / 60
    if minutes < 1:
        return "under a minute"
    if minutes < 10:
        return f"about {minutes:.1f} minutes"
    return f"about {minutes:.0f} minutes"


def header_line(notebook: str, log: dict) -> str:
    """The ``**Time:**`` paragraph for ``notebook`` (a file name) from the run log ``log``."""
    entry = next((e for e in log.get("notebooks", []) if e.get("notebook") == notebook and e.get("ok")), None)
    machine = log.get("machine", {})
    where = f"{machine.get('cores', '?')} CPU cores" + ("" if machine.get("gpu") else ", no GPU")
    if entry is None:
        line = f"{MARKER} not measured yet in full mode (run `python tools/run_course.py --only {notebook[:2]}`)."
    else:
        line = f"{MARKER} {duration(entry['wall_seconds'])} in full mode on {where} (the stored run)."
    claims = [] if notebook.startswith("A") else claims_of_lesson(notebook[:2])  # appendices measure no claim
    link = f"[the course's list of claims]({repository_url()}{CLAIMS_ANCHOR})"
    if claims:
        line += f" **Claims measured here:** {', '.join(claims)} — see {link}."
    else:
        line += f" The claims the course tests are in {link}."
    return line


def with_header(source: str, line: str) -> str:
    """``source`` (the first cell's markdown) with its ``**Time:**`` paragraph set to ``line``."""
    paragraphs = source.rstrip("\n").split("\n\n")
    paragraphs = [p for p in paragraphs if not p.startswith(MARKER)]
    badge = next((i for i, p in enumerate(paragraphs) if "colab-badge" in p), len(paragraphs))
    paragraphs.insert(badge, line)
    return "\n\n".join(paragraphs)


def sync(path: Path, log: dict, check: bool) -> bool:
    """True if the lesson's line differs from the run log's (and, unless ``check``, rewrite it)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = nb["cells"][0]
    if cell["cell_type"] != "markdown":
        raise SystemExit(f"{path.name}: the first cell is not the markdown title cell")
    source = "".join(cell["source"])
    new = with_header(source, header_line(path.name, log))
    if new == source.rstrip("\n"):
        return False
    if not check:
        cell["source"] = new.splitlines(keepends=True)
        path.write_text(notebook_text(nb), encoding="utf-8")
    return True


def sync_readme(check: bool) -> bool:
    """True if the README's list of claims differs from utils.claims (and, unless ``check``, rewrite it)."""
    return set_block("claims", claims_markdown(), check=check)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if a lesson's line differs")
    args = parser.parse_args(argv)
    log_path = ROOT / "results" / "run_log.json"
    log = json.loads(log_path.read_text(encoding="utf-8")) if log_path.is_file() else {}
    differing = [path.name for path in course_notebooks() if sync(path, log, args.check)]
    differing += ["README.md"] if sync_readme(args.check) else []
    for name in differing:
        print(f"{name}: the time/claims line or list " + ("differs from results/run_log.json (run python "
                                                  "tools/lesson_headers.py)" if args.check else "updated"))
    return 1 if args.check and differing else 0


if __name__ == "__main__":
    sys.exit(main())
