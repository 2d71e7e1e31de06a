"""The learner's standard (tools/learner_standard.py): every lesson within its limits, or for a lesson not yet brought
to the standard, within its ceilings; the template's opening cell and "What we learned"; links to the glossary and
to appendix A1 that resolve."""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import learner_standard as standard  # noqa: E402

NOTEBOOKS = standard.notebooks()
AT_STANDARD = [p for p in NOTEBOOKS if p.name[:2] not in standard.CEILINGS]
GLOSSARY_LINK = re.compile(r"GLOSSARY\.md#([a-z0-9-]+)")


def markdown_cells(path):
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "markdown"]


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^a-z0-9 -]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_within_limits_or_ceilings(path):
    flags = standard.over(path.name, standard.measure(path))
    assert not flags, f"{path.name}: {'; '.join(flags)} (python tools/learner_standard.py shows the table)"


def test_ceilings_name_existing_lessons():
    names = {p.name[:2] for p in NOTEBOOKS}
    assert set(standard.CEILINGS) <= names, f"ceilings for lessons that do not exist: {set(standard.CEILINGS) - names}"
    assert {"00", "01"} <= {p.name[:2] for p in AT_STANDARD}
    assert any(p.name.startswith("A1_") for p in AT_STANDARD), "appendix A1 is missing"


def test_a_lesson_that_meets_the_standard_leaves_the_ceilings():
    """A listed lesson whose figures are all within the limits is no longer 'not yet at the standard'."""
    for path in NOTEBOOKS:
        if path.name[:2] in standard.CEILINGS:
            row = standard.measure(path)
            assert any(row[k] > limit for k, limit in standard.LIMITS.items()), (
                f"{path.name} meets the standard: remove its entry from CEILINGS in tools/learner_standard.py")


def test_course_reading_only_falls():
    hours = sum(standard.measure(p)["read min"] for p in NOTEBOOKS) / 60
    assert hours <= standard.COURSE_HOURS_CEILING, f"the course reads in {hours:.1f} h"


@pytest.mark.parametrize("path", AT_STANDARD, ids=lambda p: p.name)
def test_template_opening_and_takeaways(path):
    cells = markdown_cells(path)
    assert len(cells[0].split()) <= standard.OPENING_WORDS, f"the opening cell has {len(cells[0].split())} words"
    if path.name[0].isdigit():
        for part in ("**You build**", "**You learn**", "**You need**", "**Time:**"):
            assert part in cells[0], f"the opening cell does not say {part}"
    learned = [c for c in cells if c.lstrip().startswith("## What we learned")]
    assert len(learned) == 1, "want one 'What we learned' cell"
    bullets = [line for line in learned[0].splitlines() if line.startswith("- ")]
    assert 1 <= len(bullets) <= standard.LEARNED_BULLETS, f"{len(bullets)} bullets in 'What we learned'"


def test_glossary_links_resolve():
    anchors = {slug(line[4:]) for line in (ROOT / "GLOSSARY.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("### ")}
    texts = {p.name: "\n".join(markdown_cells(p)) for p in NOTEBOOKS}
    texts["README.md"] = (ROOT / "README.md").read_text(encoding="utf-8")
    broken = {name: sorted(set(GLOSSARY_LINK.findall(text)) - anchors) for name, text in texts.items()}
    broken = {name: missing for name, missing in broken.items() if missing}
    assert not broken, f"links to glossary entries that do not exist: {broken}"


@pytest.mark.parametrize("path", AT_STANDARD, ids=lambda p: p.name)
def test_lessons_at_the_standard_link_the_glossary_and_the_appendix(path):
    text = "\n".join(markdown_cells(path))
    if path.name[0].isdigit():
        assert GLOSSARY_LINK.search(text), "no term is linked to the glossary"
    code = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                     if c["cell_type"] == "code")
    if path.name[0].isdigit() and re.search(r"\bcompare(_counts)?\(", code):
        assert "A1_how_the_course_decides.ipynb" in text, "the lesson decides comparisons: link appendix A1"


def test_the_measure_sees_a_heavy_notebook(tmp_path):
    """The check can fail: a notebook with a long markdown cell, many numbers and a long cell is flagged."""
    heavy = {"cells": [{"cell_type": "markdown", "source": ["# 99 · heavy\n", " ".join(["Holm p = 0.01"] * 90)]},
                       {"cell_type": "code", "source": ["x = 1\n"] * 3, "outputs": []},
                       {"cell_type": "code", "source": ["x = 1\n"] * 35, "outputs": []}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "99_heavy.ipynb"
    path.write_text(json.dumps(heavy), encoding="utf-8")
    flags = " ".join(standard.over(path.name, standard.measure(path)))
    for limit in ("max md", "num/100w", "stats", "max cell"):
        assert limit in flags
