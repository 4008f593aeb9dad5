"""A webhook receiver: a real HTTP server on this machine, standing in for the agency's tool (the
outside world), as the channel tests do (cms/archive/tests/test_delivering.py)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class Receiver:
    """Records each POST and answers as told: `answers` are status codes, in turn; then 200."""

    def __init__(self):
        self.requests = []
        self.answers = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/signoff"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def events(self) -> list[str]:
        return [headers["X-Signoff-Event"] for headers, _ in self.requests]

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]
