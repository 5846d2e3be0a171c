"""Unit tests for choosing the default logging handler."""
import logging
import os
import shutil
import tempfile
import unittest
from unittest import mock

_LOG_PATH_TEMPLATE = "/var/log/app_engine/app.{pid}.json"


class AppEngineHandler(logging.FileHandler):
    def __init__(self):
        path = _LOG_PATH_TEMPLATE.format(pid=os.getpid())
        super().__init__(path)


def get_default_handler():
    if os.environ.get("GAE_INSTANCE"):
        return AppEngineHandler()
    return logging.StreamHandler()


class TestClient(unittest.TestCase):
    def test_get_default_handler_app_engine(self):
        temp_dir = tempfile.mkdtemp()
        try:
            temp_log_path = os.path.join(temp_dir, "{pid}")
            with mock.patch(__name__ + "._LOG_PATH_TEMPLATE", temp_log_path):
                with mock.patch.dict(os.environ, {"GAE_INSTANCE": "instance"}):
                    handler = get_default_handler()
            handler.close()
        finally:
            shutil.rmtree(temp_dir)
        self.assertIsInstance(handler, AppEngineHandler)


if __name__ == "__main__":
    unittest.main()
