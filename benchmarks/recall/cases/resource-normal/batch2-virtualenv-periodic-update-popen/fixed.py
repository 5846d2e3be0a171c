"""Kick off a background refresh of the embedded seed wheels."""
import logging
import sys
from subprocess import DEVNULL, Popen
from textwrap import dedent


def trigger_update(distribution, for_py_version, wheel, search_dirs, app_data, env, periodic):
    wheel_path = None if wheel is None else str(wheel.path)
    cmd = [
        sys.executable,
        "-c",
        dedent(
            """
            from virtualenv.report import setup_report, MAX_LEVEL
            from virtualenv.seed.wheels.periodic_update import do_update
            setup_report(MAX_LEVEL, show_pid=True)
            do_update({!r}, {!r}, {!r}, {!r}, {!r}, {!r})
            """
        )
        .strip()
        .format(distribution, for_py_version, wheel_path, str(app_data), [str(p) for p in search_dirs], periodic),
    ]
    debug = env.get("_VIRTUALENV_PERIODIC_UPDATE_INLINE") == "1"
    pipe = None if debug else DEVNULL
    kwargs = {"stdout": pipe, "stderr": pipe}
    if not debug and sys.platform == "win32":
        kwargs["creationflags"] = 0x08000000
    with Popen(cmd, **kwargs) as process:
        logging.info(
            "triggered periodic upgrade of %s%s (for python %s) via background process having PID %d",
            distribution,
            "" if wheel is None else f"=={wheel.version}",
            for_py_version,
            process.pid,
        )
        if debug:
            process.communicate()
