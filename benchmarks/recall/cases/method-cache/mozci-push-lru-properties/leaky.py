"""A push to a Mozilla repository and the CI tasks that ran for it."""
from functools import lru_cache

from adr.query import run_query


class Push:
    def __init__(self, rev, branch="autoland"):
        self.rev = rev
        self.branch = branch

    @property
    @lru_cache(maxsize=None)  # leak
    def tasks(self):  # leak
        data = run_query("push_results", {"rev": self.rev, "branch": self.branch})
        return [task for task in data["data"] if task.get("result")]

    @lru_cache(maxsize=None)  # leak
    def get_regressions(self, option):  # leak
        return {
            task["label"]: task["result"]
            for task in self.tasks
            if task["result"] in ("failed", "testfailed") and option in task.get("classification", "")
        }


def regressions_in_range(revs):
    return {rev: Push(rev).get_regressions("fixed by commit") for rev in revs}
