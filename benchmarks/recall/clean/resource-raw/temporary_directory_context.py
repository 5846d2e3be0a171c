"""The scratch directory comes from TemporaryDirectory used as a context manager, so it is removed even when the build raises."""
import os
import shutil
import subprocess
import tempfile


def build_wheel(source_dir, dist_dir):
    with tempfile.TemporaryDirectory(prefix="wheel-build-") as build_dir:
        subprocess.check_call(["python", "-m", "pip", "wheel", "--no-deps", "-w", build_dir, source_dir])
        wheels = [name for name in os.listdir(build_dir) if name.endswith(".whl")]
        if not wheels:
            raise RuntimeError("no wheel produced")
        target = os.path.join(dist_dir, wheels[0])
        shutil.move(os.path.join(build_dir, wheels[0]), target)
        return target
