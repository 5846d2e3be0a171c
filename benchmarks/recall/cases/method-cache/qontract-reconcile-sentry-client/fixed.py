"""Thin client for the Sentry REST API used by the sentry-config integration."""
from functools import lru_cache

import requests


class SentryClient:
    def __init__(self, host, token):
        self.host = host
        self.auth_token = token
        self.get_organizations = lru_cache(maxsize=128)(self._get_organizations)
        self.get_projects = lru_cache(maxsize=128)(self._get_projects)
        self.get_users = lru_cache(maxsize=128)(self._get_users)

    def _do_sentry_api_call_(self, method, path, payload=None):
        url = f"{self.host}/api/0/{path}/"
        headers = {"Authorization": "Bearer " + self.auth_token}
        response = requests.request(method, url, headers=headers, json=payload, timeout=60)
        response.raise_for_status()
        return response.json()

    def _get_organizations(self):
        return self._do_sentry_api_call_("get", "organizations")

    def _get_projects(self, slug):
        return self._do_sentry_api_call_("get", f"organizations/{slug}/projects")

    def _get_users(self, slug):
        return self._do_sentry_api_call_("get", f"organizations/{slug}/members")


def run(instances):
    for inst in instances:
        client = SentryClient(inst["url"], inst["token"])
        for org in client.get_organizations():
            client.get_projects(org["slug"])
