"""Generated blocks of README.md: the text between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``.

The course runner writes the reference results, tools/lesson_headers.py the list of claims and tools/calibrate.py
the calibration table, each into its own block; nothing outside a block changes.
"""

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def set_block(name: str, body: str, *, check: bool = False, readme: Path = README) -> bool:
    """Put ``body`` in block ``name`` of ``readme``; True if it differed. With ``check``, change nothing."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{readme.name}: no {start} ... {end} block")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    new = f"{head}{start}\n{body}\n{end}{tail}"
    if new != text and not check:
        readme.write_text(new, encoding="utf-8")
    return new != text
