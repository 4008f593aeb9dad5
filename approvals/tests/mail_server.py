"""A mail server on this machine for the tests (the outside world, stood in for): Django's real
SMTP backend talks to it over a socket. It can be down (nothing listens on its port), refuse
(421 on connecting), hang (takes the connection and says nothing), or accept and keep each message.
"""

import socket
import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

DOWN, REFUSING, HANGING, ACCEPTING = "down", "refusing", "hanging", "accepting"


class MailServer:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.attempts = 0  # connections made while it was up
        self.mode = DOWN
        self._server = None
        # A port nothing listens on until the server comes up.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if address in message["To"]]

    def set(self, mode: str) -> None:
        if mode == DOWN:
            self.stop()
        elif self._server is None:
            self._start()
        self.mode = mode

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _start(self) -> None:
        mail_server = self

        class Session(socketserver.StreamRequestHandler):
            def handle(self):
                mail_server.attempts += 1
                if mail_server.mode == HANGING:
                    self.rfile.read()  # until the client gives up and closes
                    return
                if mail_server.mode == REFUSING:
                    self.say("421 mail.example Service not available, try again later")
                    return
                self.say("220 mail.example ready")
                while line := self.rfile.readline():
                    command = line.decode().strip().upper()
                    if command.startswith(("EHLO", "HELO")):
                        self.say("250 mail.example")
                    elif command == "DATA":
                        self.say("354 go ahead")
                        body = b"".join(iter(self.rfile.readline, b".\r\n"))
                        mail_server.messages.append(message_from_bytes(body, policy=policy.default))
                        self.say("250 queued")
                    elif command == "QUIT":
                        self.say("221 bye")
                        return
                    else:  # MAIL FROM, RCPT TO, RSET, NOOP
                        self.say("250 OK")

            def say(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

        self._server = _Server(("127.0.0.1", self.port), Session)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # up again on the same port straight after going down
    daemon_threads = True
