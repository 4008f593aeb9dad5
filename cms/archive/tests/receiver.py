"""A webhook receiver on this machine (the agency's scheduler, stood in for): it records each POST
and answers as told. Channel deliveries are sent to it for real, over HTTP."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.requests = []
        self.answers = []  # status codes to answer, in turn; then 200
        self.stall = None  # set to an Event: the next POST waits for it before answering
        self.stalled = threading.Event()  # set when a POST is waiting
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                stall, receiver.stall = receiver.stall, None
                if stall is not None:
                    receiver.stalled.set()
                    stall.wait(timeout=60)
                status = receiver.answers.pop(0) if receiver.answers else 200
                answer = json.dumps({"live_url": "https://social.example/p/123"}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender is gone (a worker killed while it waited): nobody to answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/signoff"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def payloads(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]

    def keys(self) -> list[str]:
        """The idempotency key of each request, in turn."""
        return [headers["X-Signoff-Idempotency-Key"] for headers, _ in self.requests]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
