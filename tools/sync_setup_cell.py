"""Copy tools/colab_setup_cell.py into the setup cell of every lesson notebook.

    python tools/sync_setup_cell.py          # rewrite the setup cell where it differs
    python tools/sync_setup_cell.py --check  # change nothing; exit status 1 if a notebook's setup cell differs

The setup cell is the notebook's second cell (its first code cell), the one that sets ``COURSE_REPO``. In Colab
it clones the course and hands over to tools/colab_setup.py, which holds the install steps, so changing those
needs no sync. Only that cell's source changes here: its outputs, execution count and metadata, every other cell
and the file's JSON layout (nbformat's: indent 1, sorted keys, UTF-8 unescaped, trailing newline) stay as they
are, so a sync that changes nothing leaves a zero git diff.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CELL_SOURCE = ROOT / "tools" / "colab_setup_cell.py"
SETUP_CELL = 1  # index in nb["cells"]: the markdown title cell, then the setup cell


def course_notebooks(root: Path = ROOT) -> list[Path]:
    """The lessons (``notebooks/NN_*.ipynb``) in order, then the appendices (``notebooks/A<k>_*.ipynb``)."""
    folder = root / "notebooks"
    return sorted(folder.glob("[0-9][0-9]_*.ipynb")) + sorted(folder.glob("A[0-9]_*.ipynb"))


def notebook_text(nb: dict) -> str:
    """The notebook serialized exactly as nbformat.write does."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")) + "\n"


def source_lines(text: str) -> list[str]:
    """A cell source as nbformat stores it: lines with their newlines, the last one without."""
    return text.rstrip("\n").splitlines(keepends=True)


def sync(path: Path, lines: list[str], check: bool) -> bool:
    """Return True if the notebook's setup cell differs from ``lines`` (and, unless ``check``, rewrite it)."""
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    cell = nb["cells"][SETUP_CELL]
    if cell["cell_type"] != "code" or "COURSE_REPO = " not in "".join(cell["source"]):
        raise SystemExit(f"{path.name}: cell {SETUP_CELL} is not the setup cell (it must set COURSE_REPO)")
    if cell["source"] == lines:
        return False
    if not check:
        cell["source"] = lines
        path.write_text(notebook_text(nb), encoding="utf-8")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if a setup cell differs")
    args = parser.parse_args()
    lines = source_lines(CELL_SOURCE.read_text(encoding="utf-8"))
    notebooks = course_notebooks()
    differing = [path.name for path in notebooks if sync(path, lines, args.check)]
    if args.check:
        for name in differing:
            print(f"{name}: setup cell differs from tools/colab_setup_cell.py (run python tools/sync_setup_cell.py)")
        return 1 if differing else 0
    print(f"setup cell updated in {len(differing)} of {len(notebooks)} notebooks" + (
        ": " + ", ".join(differing) if differing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
