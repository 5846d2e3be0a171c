"""Per-execution state of an OpenHTF-style test."""
import logging
import time

RECORD_LOGGER = "openhtf.test_record"


def setup_logger() -> None:
    """Configure the shared record logger once per process."""
    logger = logging.getLogger(RECORD_LOGGER)
    logger.setLevel(logging.DEBUG)
    logger.addHandler(logging.StreamHandler())


setup_logger()


class TestRecord:
    def __init__(self, dut_id: str) -> None:
        self.dut_id = dut_id
        self.start_time_millis = int(time.time() * 1000)
        self.log_records = []
        self.phases = []


class RecordHandler(logging.Handler):
    """Copies every log record into the test record."""

    def __init__(self, test_record: TestRecord) -> None:
        super().__init__()
        self._test_record = test_record

    def emit(self, record: logging.LogRecord) -> None:
        self._test_record.log_records.append((record.created, record.levelname, self.format(record)))


class TestState:
    def __init__(self, test_name: str, dut_id: str) -> None:
        self.test_name = test_name
        self.record = TestRecord(dut_id)
        self.logger = logging.getLogger(RECORD_LOGGER)
        self._record_handler = RecordHandler(self.record)
        self.logger.addHandler(self._record_handler)

    def run_phase(self, phase) -> None:
        self.logger.info("Running phase %s", phase.__name__)
        self.record.phases.append((phase.__name__, phase(self)))

    def finalize(self) -> TestRecord:
        self.logger.info("Test %s finished", self.test_name)
        self.logger.removeHandler(self._record_handler)
        self._record_handler.close()
        return self.record
