"""Run the Farasa jar on a piece of text through temporary input/output files."""
import os
import subprocess
import tempfile


class FarasaBase:
    def __init__(self, jar_path, task="segment"):
        self._jar = jar_path
        self._task = task

    def _run_standalone(self, text):
        itmp = tempfile.NamedTemporaryFile(delete=False)  # other leak: if the second NamedTemporaryFile() fails, this one is left behind
        otmp = tempfile.NamedTemporaryFile(delete=False)
        try:
            itmp.write(text.encode("utf8"))
            itmp.flush()
            proc = subprocess.run(
                ["java", "-jar", self._jar, "-i", itmp.name, "-o", otmp.name],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            if proc.returncode == 0:
                return otmp.read().decode("utf8").strip()
            print("error occurred! stdout:", proc.stdout, "stderr:", proc.stderr)
            raise Exception("Internal Error occurred!")
        finally:
            itmp.close()
            otmp.close()
            os.unlink(itmp.name)
            os.unlink(otmp.name)

    def segment(self, text):
        return self._run_standalone(text)
