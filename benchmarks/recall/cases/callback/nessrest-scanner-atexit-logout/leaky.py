import atexit
import json

import requests


class Scanner:
    def __init__(self, url, login="", password="", api_akey="", api_skey="", insecure=False):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.session.verify = not insecure
        self.token = ""
        self.res = {}
        if api_akey and api_skey:
            self.session.headers["X-ApiKeys"] = f"accessKey={api_akey}; secretKey={api_skey}"
        else:
            self._login(login, password)
            atexit.register(self.action, action="session", method="DELETE", retry=False)  # leak

    def _login(self, login, password):
        self.action(action="session", method="POST",
                    extra={"username": login, "password": password})
        self.token = self.res["token"]
        self.session.headers["X-Cookie"] = f"token={self.token}"

    def action(self, action, method="GET", extra=None, retry=True):
        response = self.session.request(method, f"{self.url}/{action}",
                                        data=json.dumps(extra or {}),
                                        headers={"Content-Type": "application/json"})
        if response.status_code == 401 and retry and self.token:
            raise PermissionError("session expired")
        self.res = response.json() if response.content else {}
        return self.res

    def scan_list(self):
        return self.action("scans")
