"""A loopback HTTP server answering a bounded loop of requests, for
``leaklint run`` (see ../README.md):

    python serve.py 2000                  # without the watch
    leaklint run serve.py 2000            # with it
"""

import http.server
import sys
import threading
import time
import urllib.request

import app

ROUTES = ("/", "/items", "/items/1", "/about", "/help")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"{app.route(self.path)} {app.session(self.headers['X-Token'])['visits']}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def main(requests):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    started = time.perf_counter()
    try:
        for n in range(requests):
            request = urllib.request.Request(base + ROUTES[n % len(ROUTES)], headers={"X-Token": f"client-{n}"})
            with urllib.request.urlopen(request) as response:
                response.read()
    finally:
        server.shutdown()
        server.server_close()
    print(f"{requests} requests in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
