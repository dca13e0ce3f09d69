"""A loopback HTTP relay between Marquee and the real S3 server, for the
faults a healthy server never shows: a connection cut in the middle of a GET
body, and the server's backend stopped between two uploads at a known point.

It forwards bytes unchanged except for `Connection: close` (not a signed
header), so every request gets its own upstream connection and a response ends
where the upstream closes: no HTTP framing to re-implement. Python standard
library only.
"""
import socket
import threading


class Relay:
    def __init__(self, upstream_port, cut_get_after=None, after_response=None):
        """cut_get_after: close the client connection once, after this many
        bytes of a GET response body. after_response(method, path, status):
        called, for non-GET requests, before the response is passed on, so the
        client cannot send its next request until it returns."""
        self.upstream_port = upstream_port
        self.cut_get_after = cut_get_after
        self.after_response = after_response
        self.cuts = 0
        self.log = []  # (method, path, range header or "", status)
        self._lock = threading.Lock()
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self._server.close()

    def _accept(self):
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        try:
            request = _read_request(client)
            if request is None:
                return
            head, body = request
            lines = head.split(b"\r\n")
            method, path = lines[0].split(b" ")[:2]
            method, path = method.decode(), path.decode()
            kept = [l for l in lines[1:] if l and not l.lower().startswith(b"connection:")]
            rng = next((l.split(b":", 1)[1].strip().decode() for l in kept if l.lower().startswith(b"range:")), "")
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=60)
            try:
                upstream.sendall(b"\r\n".join([lines[0]] + kept + [b"Connection: close", b"", b""]) + body)
                if method == "GET":
                    status = self._stream(upstream, client)
                else:
                    response = _read_all(upstream)
                    status = _status(response)
                    if self.after_response:
                        self.after_response(method, path, status)
                    client.sendall(response)
            finally:
                upstream.close()
            with self._lock:
                self.log.append((method, path, rng, status))
        except OSError:
            pass
        finally:
            client.close()

    def _stream(self, upstream, client):
        """Relays a GET response, cutting it once after cut_get_after body bytes."""
        head, body_seen, status = b"", None, 0
        while True:
            data = upstream.recv(65536)
            if not data:
                return status
            if body_seen is None:
                head += data
                end = head.find(b"\r\n\r\n")
                if end < 0:
                    continue
                status = _status(head)
                data, body_seen = head, -(end + 4)  # header bytes count negative
            with self._lock:
                cut = self.cut_get_after is not None and self.cuts == 0 and status in (200, 206)
                if cut and body_seen + len(data) > self.cut_get_after:
                    keep = self.cut_get_after - body_seen
                    client.sendall(data[:keep])
                    self.cuts += 1
                    client.shutdown(socket.SHUT_RDWR)
                    return -status  # logged negative: the response that was cut
            client.sendall(data)
            body_seen += len(data)


def _status(response):
    try:
        return int(response.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def _read_all(sock):
    chunks = []
    while True:
        data = sock.recv(65536)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def _read_request(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        if name.strip().lower() == b"transfer-encoding":
            raise OSError("chunked requests are not relayed")
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head, body
