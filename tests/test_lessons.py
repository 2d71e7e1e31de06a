"""The lessons' shape, checked on every test run: short setup cell, cells that fit on a screen, nbval tags,
a first cell whose time and claims are true, setup cells in sync with tools/colab_setup_cell.py, and the
README's generated lists (claims, calibration) in step with their sources.

Cells longer than 40 lines are allowed only where listed in ``LONG_CELLS`` (they are split when their lesson
is next re-run in full mode, since splitting a cell changes its stored outputs). The list may only shrink: a
new long cell, a listed cell that grew, and a listed cell that is no longer long (remove its entry) all fail.
"""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from sync_setup_cell import course_notebooks  # noqa: E402

NOTEBOOKS = course_notebooks()  # the lessons, then the appendices
SETUP_LINES, CELL_LINES, LINE_CHARS = 12, 40, 100

# notebook -> {code cell index (0 = the setup cell): its number of lines today}
LONG_CELLS: dict = {}


def code_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"])


def lines_of(cell):
    return source(cell).strip().splitlines()


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return request.param


def test_there_are_lessons():
    assert len(NOTEBOOKS) >= 9


def test_setup_cell_is_short(notebook):
    setup = lines_of(code_cells(notebook)[0])
    assert len(setup) <= SETUP_LINES, f"the setup cell has {len(setup)} lines (at most {SETUP_LINES})"


def test_long_cells_only_shrink(notebook):
    allowed = LONG_CELLS.get(notebook.name, {})
    long = {i: len(lines_of(c)) for i, c in enumerate(code_cells(notebook)) if len(lines_of(c)) > CELL_LINES}
    new = {i: n for i, n in long.items() if i not in allowed}
    grown = {i: (allowed[i], n) for i, n in long.items() if i in allowed and n > allowed[i]}
    stale = sorted(set(allowed) - set(long))
    assert not new, f"code cells over {CELL_LINES} lines (split them): {new}"
    assert not grown, f"listed long cells grew (listed, now): {grown}"
    assert not stale, f"code cells {stale} are no longer over {CELL_LINES} lines: remove them from LONG_CELLS"


def test_code_lines_fit(notebook):
    wide = [(i, line) for i, c in enumerate(code_cells(notebook)) for line in source(c).splitlines()
            if len(line) > LINE_CHARS]
    assert not wide, f"code lines over {LINE_CHARS} characters (code cell, line): {wide[:5]}"


def test_nbval_checks_are_tags(notebook):
    cells = code_cells(notebook)
    comments = [i for i, c in enumerate(cells) if "NBVAL_CHECK_OUTPUT" in source(c)]
    tagged = [i for i, c in enumerate(cells) if "nbval-check-output" in c.get("metadata", {}).get("tags", [])]
    assert not comments, f"code cells {comments} mark nbval checks with a comment: use the cell tag instead"
    assert len(tagged) >= 2, f"only {len(tagged)} cells tagged nbval-check-output (want at least 2)"


@pytest.mark.parametrize("tool", ["sync_setup_cell", "lesson_headers", "calibrate"])
def test_generated_parts_are_up_to_date(tool, capsys):
    sys.path.insert(0, str(ROOT / "tools"))
    module = __import__(tool)
    sys.argv = [tool, "--check"]
    status = module.main()
    assert status == 0, capsys.readouterr().out


# Functions a lesson writes out (because writing them is the lesson) that solutions and tests also need: the copy
# in utils.lesson_functions must stay the lesson's, line for line.
MIRRORED = {
    "02_lstm_and_gru_cells.ipynb": ("sigmoid", "lstm_forward", "gru_forward"),
    "01_simple_rnn_from_scratch.ipynb": ("per_step_factor",),
}


def lesson_definitions(path):
    import ast

    found = {}
    for cell in code_cells(path):
        try:
            tree = ast.parse(source(cell))
        except SyntaxError:
            continue
        found.update({node.name: ast.dump(node) for node in tree.body if isinstance(node, ast.FunctionDef)})
    return found


@pytest.mark.parametrize("name", sorted(MIRRORED))
def test_mirrored_functions_are_the_lessons(name):
    import ast
    import inspect

    import utils.lesson_functions as mirror

    in_lesson = lesson_definitions(ROOT / "notebooks" / name)
    for function in MIRRORED[name]:
        assert function in in_lesson, f"{name} no longer defines {function}: update utils/lesson_functions.py"
        in_utils = ast.dump(ast.parse(inspect.getsource(getattr(mirror, function))).body[0])
        assert in_utils == in_lesson[function], f"{function} differs between {name} and utils/lesson_functions.py"


def test_readme_blocks_change_only_their_block(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    from readme_block import set_block

    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- x:start -->\nold\n<!-- x:end -->\noutro\n", encoding="utf-8")
    assert set_block("x", "new", check=True, readme=readme) is True
    assert "old" in readme.read_text(encoding="utf-8")  # check changes nothing
    assert set_block("x", "new", readme=readme) is True
    assert readme.read_text(encoding="utf-8") == "intro\n<!-- x:start -->\nnew\n<!-- x:end -->\noutro\n"
    assert set_block("x", "new", readme=readme) is False
    with pytest.raises(SystemExit, match="no <!-- y:start"):
        set_block("y", "new", readme=readme)
