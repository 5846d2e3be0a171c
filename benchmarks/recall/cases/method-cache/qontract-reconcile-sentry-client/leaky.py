"""Thin client for the Sentry REST API used by the sentry-config integration."""
from functools import lru_cache

import requests


class SentryClient:
    def __init__(self, host, token):
        self.host = host
        self.auth_token = token

    def _do_sentry_api_call_(self, method, path, payload=None):
        url = f"{self.host}/api/0/{path}/"
        headers = {"Authorization": "Bearer " + self.auth_token}
        response = requests.request(method, url, headers=headers, json=payload, timeout=60)
        response.raise_for_status()
        return response.json()

    @lru_cache(maxsize=128)  # leak
    def get_organizations(self):  # leak
        return self._do_sentry_api_call_("get", "organizations")

    @lru_cache(maxsize=128)  # leak
    def get_projects(self, slug):  # leak
        return self._do_sentry_api_call_("get", f"organizations/{slug}/projects")

    @lru_cache(maxsize=128)  # leak
    def get_users(self, slug):  # leak
        return self._do_sentry_api_call_("get", f"organizations/{slug}/members")


def run(instances):
    for inst in instances:
        client = SentryClient(inst["url"], inst["token"])
        for org in client.get_organizations():
            client.get_projects(org["slug"])
