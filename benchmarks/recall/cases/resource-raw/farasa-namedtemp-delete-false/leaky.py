"""Run the Farasa jar on a piece of text through temporary input/output files."""
import subprocess
import tempfile


class FarasaBase:
    def __init__(self, jar_path, task="segment"):
        self._jar = jar_path
        self._task = task

    def _run_standalone(self, text):
        itmp = tempfile.NamedTemporaryFile(delete=False)  # leak
        otmp = tempfile.NamedTemporaryFile(delete=False)  # leak
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

    def segment(self, text):
        return self._run_standalone(text)
