"""Read-only access to a customer's repository for Autofix runs."""
import functools

from github import Github


class RepoClient:
    def __init__(self, token, repo_full_name, base_commit_sha):
        self.github = Github(token)
        self.repo = self.github.get_repo(repo_full_name)
        self.base_commit_sha = base_commit_sha

    @functools.cache  # leak
    def get_file_content(self, path, sha=None):  # leak
        contents = self.repo.get_contents(path, ref=sha or self.base_commit_sha)
        return contents.decoded_content.decode("utf-8", errors="replace")

    @functools.lru_cache(maxsize=16)  # leak
    def get_valid_file_paths(self, sha=None):  # leak
        tree = self.repo.get_git_tree(sha or self.base_commit_sha, recursive=True)
        return {item.path for item in tree.tree if item.type == "blob"}


def run_autofix_step(token, repo_name, sha, paths):
    client = RepoClient(token, repo_name, sha)
    valid = client.get_valid_file_paths()
    return {p: client.get_file_content(p) for p in paths if p in valid}
