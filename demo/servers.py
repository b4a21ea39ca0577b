# SPDX-License-Identifier: MIT
"""The demo's local servers: an HTTP server and a UDP echo server on
127.0.0.1, on free ports. Prints "HTTP_PORT UDP_PORT" on one line once both
listen, then serves until killed or for at most LIFETIME seconds."""
import http.server
import os
import socket
import sys
import threading

LIFETIME = 300


class Page(http.server.BaseHTTPRequestHandler):
    body = b"Hello from the lspkit demo server.\n"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def udp_echo(sock):
    while True:
        data, peer = sock.recvfrom(65535)
        sock.sendto(b"echo: " + data, peer)


def main():
    http_server = http.server.HTTPServer(("127.0.0.1", 0), Page)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    threading.Thread(target=http_server.serve_forever, daemon=True).start()
    threading.Thread(target=udp_echo, args=(udp,), daemon=True).start()
    print(http_server.server_address[1], udp.getsockname()[1], flush=True)
    threading.Event().wait(LIFETIME)
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
