"""The finalizer is a static function that receives only the temporary directory path, not the loader, so it does not keep the loader alive."""
import shutil
import tempfile
import weakref


class FilePathArtifactLoader:
    def __init__(self, prefix: str = "artifacts-"):
        self._tmpdir = tempfile.mkdtemp(prefix=prefix)
        self._finalizer = weakref.finalize(self, self._cleanup, self._tmpdir)

    @staticmethod
    def _cleanup(path: str) -> None:
        shutil.rmtree(path, ignore_errors=True)

    @property
    def path(self) -> str:
        return self._tmpdir

    def close(self) -> None:
        self._finalizer()
