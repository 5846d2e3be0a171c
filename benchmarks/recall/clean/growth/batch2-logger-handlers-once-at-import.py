"""The package configures its logger's handler exactly once, at import time, so handlers cannot accumulate however many clients are created."""
import logging
import sys

logger = logging.getLogger("billing_client")
_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
logger.addHandler(_handler)
logger.addHandler(logging.NullHandler())
logger.propagate = False


class Client:
    def __init__(self, api_key: str, log: logging.Logger = None) -> None:
        self.api_key = api_key
        self.log = log or logger

    def charge(self, customer_id: str, cents: int) -> dict:
        self.log.info("charging %s %d", customer_id, cents)
        return {"customer": customer_id, "amount": cents, "status": "ok"}
