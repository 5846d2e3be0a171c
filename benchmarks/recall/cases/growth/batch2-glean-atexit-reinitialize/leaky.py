"""Python entry point of a telemetry SDK."""
import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Optional


class Glean:
    _initialized = False
    _application_id: Optional[str] = None
    _data_dir: Optional[Path] = None
    _upload_enabled = True

    @classmethod
    def initialize(cls, application_id: str, data_dir: Optional[Path] = None, upload_enabled: bool = True) -> None:
        if cls._initialized:
            return
        cls._application_id = application_id
        cls._data_dir = data_dir or Path(tempfile.mkdtemp(prefix="glean-"))
        cls._upload_enabled = upload_enabled
        cls._initialized = True
        atexit.register(cls._shutdown_hook)  # leak

    @classmethod
    def _shutdown_hook(cls) -> None:
        if cls._data_dir is not None and cls._upload_enabled:
            (cls._data_dir / "pending").mkdir(exist_ok=True)

    @classmethod
    def _reset(cls) -> None:
        """Testing helper: forget all state so initialize() can run again."""
        if cls._data_dir is not None:
            shutil.rmtree(cls._data_dir, ignore_errors=True)
        cls._data_dir = None
        cls._initialized = False


def reset_glean(application_id: str) -> None:
    """Called by test suites before every test."""
    Glean._reset()
    Glean.initialize(application_id)
