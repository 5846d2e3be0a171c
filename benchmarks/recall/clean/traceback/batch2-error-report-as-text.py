"""Failed jobs are recorded as formatted text (traceback.format_exception), never as exception objects, so no traceback or frame is kept."""
import traceback
from dataclasses import dataclass, field
from typing import Callable, Dict, List


@dataclass
class JobReport:
    name: str
    ok: bool
    error_type: str = ""
    error_text: str = ""


@dataclass
class Runner:
    reports: List[JobReport] = field(default_factory=list)

    def run_all(self, jobs: Dict[str, Callable[[], None]]) -> List[JobReport]:
        for name, job in jobs.items():
            try:
                job()
            except Exception as exc:
                text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                self.reports.append(JobReport(name, False, type(exc).__name__, text))
            else:
                self.reports.append(JobReport(name, True))
        return self.reports
