# Setup. In Colab this fetches the course and installs what Colab lacks; elsewhere it does nothing.
# This text is the source of every notebook's setup cell: edit tools/colab_setup_cell.py, then run
# tools/sync_setup_cell.py. COURSE_REPO is the one place the repository's address is written.
import os
import sys

COURSE_REPO = os.environ.get("RNN_COURSE_REPO", "https://github.com/rnn-course/rnn-lstm-gru")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # no TensorFlow C++ start-up log in the outputs
if "google.colab" in sys.modules:
    import importlib
    import importlib.metadata
    import platform
    import subprocess
    import tempfile

    course = os.environ.get("RNN_COURSE_DIR", "/content/" + COURSE_REPO.rstrip("/").split("/")[-1].removesuffix(".git"))
    if not os.path.isdir(course):  # first run: fetch the course
        subprocess.run(["git", "clone", "--depth", "1", COURSE_REPO, course], check=True)
    else:  # a re-run ("Restart session -> Run all"): update it, or go on with the copy there is
        pulled = subprocess.run(["git", "-C", course, "pull", "--ff-only"], capture_output=True, text=True)
        if pulled.returncode != 0:
            reason = next((line for line in pulled.stderr.splitlines() if line.startswith(("fatal", "error"))),
                          "git pull failed")
            print(f"warning: could not update {course} ({reason}); going on with the copy there is")
    # Colab's own TensorFlow, Keras, numpy, pandas and kernel stay as they are: pip may add packages, never replace
    # these (replacing a package the runtime has loaded breaks the session until a restart).
    keep = []
    for name in ("tensorflow", "tensorboard", "keras", "numpy", "pandas", "scipy", "scikit-learn", "statsmodels",
                 "matplotlib", "ipykernel", "ipython", "jupyter-client", "tornado"):
        try:
            keep.append(f"{name}=={importlib.metadata.version(name)}\n")
        except importlib.metadata.PackageNotFoundError:
            pass
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as constraints:
        constraints.writelines(keep)
    for what, args in (("data packages", ["-c", constraints.name, "-r", "requirements-colab.txt"]),
                       ("course utils", ["--no-deps", "-e", "."])):
        done = subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
                               "--progress-bar", "off", *args], cwd=course, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"pip install of the {what} failed:\n{done.stdout}\n{done.stderr}")
        print(f"{what}:", next((line for line in done.stdout.splitlines() if line.startswith("Successfully installed")),
                               "already installed"))
    os.remove(constraints.name)
    importlib.invalidate_caches()
    if course not in sys.path:
        sys.path.insert(0, course)
    os.chdir(os.path.join(course, "notebooks"))
    import keras
    import numpy
    import pandas
    import tensorflow

    print(f"Python {platform.python_version()}, TensorFlow {tensorflow.__version__}, Keras {keras.__version__}, "
          f"numpy {numpy.__version__}, pandas {pandas.__version__}")
