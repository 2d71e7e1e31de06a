"""One-call report of where a notebook runs: versions, processor, GPU, cores, mode and wall time."""

import os
import platform
import time

from utils.runmode import run_mode

_STARTED = time.perf_counter()


def quiet_tensorflow_import():
    """Import TensorFlow without its C++ start-up log (CUDA probing lines with timestamps).

    Call it before ``import keras``. It sets ``TF_CPP_MIN_LOG_LEVEL`` and silences the process's
    stderr only while TensorFlow loads and finds its devices; Python warnings and errors after that
    are shown as usual.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import tensorflow as tf

            tf.config.list_physical_devices()
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _gpu_name():
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    details = tf.config.experimental.get_device_details(gpus[0])
    return details.get("device_name", gpus[0].name)


def machine_info() -> dict:
    """Processor, usable cores, GPU (or None), and the TensorFlow / Keras versions."""
    import keras
    import tensorflow as tf

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": _cpu_name(),
        "cores": cores,
        "gpu": _gpu_name(),
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
    }


def environment_report() -> dict:
    """Print one line about the run (mode, backend, versions, hardware) and return it as a dict."""
    info = machine_info() | {"mode": run_mode()}
    device = info["gpu"] or f"CPU only, {info['cores']} cores"
    print(
        f"mode={info['mode']} | Keras {info['keras']} on {info['backend']} (TensorFlow {info['tensorflow']}) "
        f"| Python {info['python']} | {device}"
    )
    return info


def wall_seconds() -> float:
    """Seconds since this notebook's kernel imported ``utils.environment`` (its setup cell)."""
    return time.perf_counter() - _STARTED


def run_footer() -> str:
    """The closing line every lesson prints: machine, mode and wall time of the run."""
    info = machine_info()
    device = info["gpu"] or f"{info['cpu']} ({info['cores']} cores, no GPU)"
    return f"Ran in {run_mode()} mode on {device} in {wall_seconds() / 60:.1f} min."
