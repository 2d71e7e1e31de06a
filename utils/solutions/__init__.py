"""Reference solutions of the lessons' exercises: one script per exercise, ``ex_NN_k.py``, ending with ``answer``.

``solution("NN.k")`` (``utils.exercises``) prints one; ``runpy.run_module("utils.solutions.ex_NN_k")["answer"]`` runs
it without touching a notebook's variables.

Each script stands alone (it loads its own data and builds its own models), takes its sizes from ``by_mode`` like
the lessons, and so runs in seconds in fast mode (``RNN_COURSE_MODE=fast``) — the tests run every one of them.
"""
