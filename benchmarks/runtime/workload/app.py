"""A small web application's module state: one cache that grows with every
new client, one keyed by a small fixed set of routes."""

_sessions = {}  # one entry per client token: grows for as long as the server runs
_routes = {}  # one entry per route: a handful


def session(token):
    if token not in _sessions:
        _sessions[token] = {"token": token, "visits": 0}
    _sessions[token]["visits"] += 1
    return _sessions[token]


def route(path):
    if path not in _routes:
        _routes[path] = path.strip("/").split("/")[0] or "index"
    return _routes[path]
