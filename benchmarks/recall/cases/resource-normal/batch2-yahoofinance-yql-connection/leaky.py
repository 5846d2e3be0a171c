"""Minimal client for the public YQL endpoint used by the Share/Currency classes."""
import json
from http.client import HTTPSConnection
from urllib.parse import urlencode

PUBLIC_API_URL = "/v1/public/yql"
DATATABLES_URL = "store://datatables.org/alltableswithkeys"


class YQLQueryError(Exception):
    pass


class YQLQuery:
    def __init__(self):
        self.connection = HTTPSConnection("query.yahooapis.com")  # leak

    def execute(self, yql):
        query = urlencode({"q": yql, "format": "json", "env": DATATABLES_URL})
        self.connection.request("GET", PUBLIC_API_URL + "?" + query)
        payload = self.connection.getresponse().read()
        return json.loads(payload.decode("utf-8"))


def fetch_quote(symbol):
    query = 'select * from yahoo.finance.quotes where symbol = "{0}"'.format(symbol)
    response = YQLQuery().execute(query)
    try:
        return response["query"]["results"]["quote"]
    except (KeyError, TypeError):
        raise YQLQueryError(response.get("error", {}).get("description", "no results"))
