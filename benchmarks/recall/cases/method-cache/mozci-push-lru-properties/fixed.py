"""A push to a Mozilla repository and the CI tasks that ran for it."""
from functools import cached_property

from adr.query import run_query


class Push:
    def __init__(self, rev, branch="autoland"):
        self.rev = rev
        self.branch = branch
        self._regressions = {}

    @cached_property
    def tasks(self):
        data = run_query("push_results", {"rev": self.rev, "branch": self.branch})
        return [task for task in data["data"] if task.get("result")]

    def get_regressions(self, option):
        if option not in self._regressions:
            self._regressions[option] = {
                task["label"]: task["result"]
                for task in self.tasks
                if task["result"] in ("failed", "testfailed") and option in task.get("classification", "")
            }
        return self._regressions[option]


def regressions_in_range(revs):
    return {rev: Push(rev).get_regressions("fixed by commit") for rev in revs}
