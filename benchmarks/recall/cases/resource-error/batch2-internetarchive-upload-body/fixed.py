"""Upload files into an archive.org item through the S3-like API."""
import logging
import os

import requests
from requests.exceptions import HTTPError

log = logging.getLogger(__name__)


class Item:
    def __init__(self, session, identifier):
        self.session = session
        self.identifier = identifier

    def upload_file(self, body, key=None, metadata=None, headers=None, access_key=None, secret_key=None, request_kwargs=None):
        if not hasattr(body, "read"):
            filename = body
            body = open(body, "rb")
        else:
            filename = getattr(body, "name", key)
        try:
            key = key or os.path.basename(filename)
            url = f"https://s3.us.archive.org/{self.identifier}/{key}"
            headers = dict(headers or {})
            headers["authorization"] = f"LOW {access_key}:{secret_key}"
            request = requests.Request("PUT", url, data=body, headers=headers)
            prepared = self.session.prepare_request(request)
            try:
                response = self.session.send(prepared, stream=True, **(request_kwargs or {}))
                response.raise_for_status()
                log.info("uploaded %s to %s", key, url)
                return response
            except HTTPError as exc:
                msg = f"error uploading {key} to {self.identifier}, {exc}"
                log.error(msg)
                raise type(exc)(msg, response=exc.response, request=exc.request)
        finally:
            body.close()
