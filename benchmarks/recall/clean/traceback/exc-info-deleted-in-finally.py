"""The handler binds sys.exc_info() in the catching frame but clears the names in a finally, so no traceback-to-frame cycle outlives the call."""
import logging
import sys
import traceback

logger = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, reporter):
        self.reporter = reporter

    def run(self, job):
        try:
            return job.execute()
        except Exception:
            exc_type, exc_value, exc_tb = sys.exc_info()
            try:
                summary = "".join(traceback.format_exception(exc_type, exc_value, exc_tb))
                self.reporter.send(job.name, summary)
                logger.error("job %s failed: %s", job.name, exc_value)
            finally:
                exc_type = exc_value = exc_tb = None
            return None
