import os
import runpy
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # quiet TensorFlow's C++ start-up log
COURSE_REPO = os.environ.get("RNN_COURSE_REPO", "https://github.com/rnn-course/rnn-lstm-gru")
if "google.colab" in sys.modules:  # Colab only: clone once; colab_setup.py pulls, installs, prints
    course = os.environ.get("RNN_COURSE_DIR", "/content/" + COURSE_REPO.split("/")[-1])
    if not os.path.isdir(course):
        subprocess.run(["git", "clone", "--depth", "1", COURSE_REPO, course], check=True)
    runpy.run_path(f"{course}/tools/colab_setup.py", {"course": course}, run_name="colab_setup")
