"""Not a leak: the requests.Session lives as long as the client, which closes it in close() and is used as a context manager."""
import requests


class ApiClient:
    def __init__(self, base_url, token):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, **params):
        resp = self.session.get(f"{self.base_url}/{path.lstrip('/')}", params=params, timeout=30)
        resp.raise_for_status()
        return resp.json()

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def list_projects(base_url, token):
    with ApiClient(base_url, token) as client:
        return [p["name"] for p in client.get("/projects")]
