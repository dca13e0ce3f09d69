"""Shared pieces of the API suites: the real `marquee serve` process, an HTTP
client (http.client and raw sockets), JWTs made independently of Marquee
(Python's hmac, the openssl command line for RS256/ES256), a checker of
responses against the served OpenAPI document, and a real redis-server.

Python standard library only. Every suite prints what it checks and exits 1
on the first failure, naming it.
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

TOKEN_SECRET = "api-suite-secret-0123456789abcdef0123456789"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def check_eq(actual, expected, what):
    if actual != expected:
        raise Failure(f"{what}:\n  expected {expected!r}\n  actual   {actual!r}")


_START = time.monotonic()


def section(title):
    print(f"--- [{time.monotonic() - _START:5.1f}s] {title}", flush=True)


def run_suite(main):
    """Runs main(), printing a one-line verdict; exit code 1 on failure."""
    start = time.monotonic()
    try:
        main()
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr, flush=True)
        sys.exit(1)
    print(f"passed in {time.monotonic() - start:.1f}s", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ tokens

def b64url(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(sub="suite", scope="marquee:read", ttl=600, now=None, **extra):
    now = int(time.time()) if now is None else now
    body = {"sub": sub, "iat": now, "exp": now + ttl}
    if scope is not None:
        body["scope"] = scope
    body.update(extra)
    return body


def _signing_input(header, payload):
    return b64url(json.dumps(header, separators=(",", ":"))) + "." + b64url(json.dumps(payload, separators=(",", ":")))


def hs256(payload, secret=TOKEN_SECRET, header=None):
    signing_input = _signing_input(header or {"alg": "HS256", "typ": "JWT"}, payload)
    key = secret if isinstance(secret, bytes) else secret.encode()
    return signing_input + "." + b64url(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())


def _openssl_sign(private_key, data):
    out = subprocess.run(["openssl", "dgst", "-sha256", "-sign", private_key], input=data.encode(),
                         capture_output=True, check=True)
    return out.stdout


def _der_ecdsa_to_raw(der):
    """ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } -> r || s, 32 bytes each."""
    check(der[0] == 0x30, "openssl ES256 signature is not a DER sequence")
    i = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7F)
    parts = []
    for _ in range(2):
        check(der[i] == 0x02, "DER integer expected")
        length = der[i + 1]
        value = der[i + 2:i + 2 + length].lstrip(b"\x00")
        parts.append(value.rjust(32, b"\x00"))
        i += 2 + length
    return parts[0] + parts[1]


def rs256(payload, private_key, header=None):
    signing_input = _signing_input(header or {"alg": "RS256", "typ": "JWT"}, payload)
    return signing_input + "." + b64url(_openssl_sign(private_key, signing_input))


def es256(payload, private_key, header=None):
    signing_input = _signing_input(header or {"alg": "ES256", "typ": "JWT"}, payload)
    return signing_input + "." + b64url(_der_ecdsa_to_raw(_openssl_sign(private_key, signing_input)))


def make_key_pair(directory, kind):
    """kind: 'rsa' or 'ec'. Returns (private_pem_path, public_pem_path)."""
    private, public = os.path.join(directory, f"{kind}.key"), os.path.join(directory, f"{kind}.pub")
    if kind == "rsa":
        cmd = ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", private]
    else:
        cmd = ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", private]
    subprocess.run(cmd, check=True, capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", private, "-pubout", "-out", public], check=True, capture_output=True)
    return private, public


# ------------------------------------------------------------------ HTTP

class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)

    def error_code(self):
        return self.json()["error"]["code"]

    def __repr__(self):
        return f"<{self.status} {self.body[:200]!r}>"


class Client:
    """One keep-alive connection; reconnects if the server closed it."""

    def __init__(self, port, token=None, timeout=10):
        self.port, self.token, self.timeout = port, token, timeout
        self.connection = None

    def request(self, path, method="GET", headers=None, token="default", body=None):
        all_headers = dict(headers or {})
        token = self.token if token == "default" else token
        if token:
            all_headers["Authorization"] = "Bearer " + token
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
                reply = Reply(response.status, response.getheaders(), data)
                if response.will_close:
                    self.close()
                return reply
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def read_raw_responses(sock_file, count):
    """Parses `count` HTTP/1.1 responses from a socket file (Content-Length bodies)."""
    replies = []
    for _ in range(count):
        status_line = sock_file.readline()
        if not status_line:
            break
        status = int(status_line.split()[1])
        headers = []
        while True:
            line = sock_file.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers.append((name.strip(), value.strip()))
        length = int(dict((k.lower(), v) for k, v in headers).get("content-length", "0"))
        body = sock_file.read(length) if length and status != 304 else b""
        replies.append(Reply(status, headers, body))
    return replies


def raw_exchange(port, data, expected, timeout=10):
    """Sends bytes as they are and reads up to `expected` responses."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        with sock.makefile("rb") as f:
            return read_raw_responses(f, expected)


def parse_metrics(text):
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


# ------------------------------------------------------------------ processes

class Server:
    """A `marquee serve` process on a free port (--listen 127.0.0.1:0)."""

    def __init__(self, marquee, args, log_path, env=None, token=None, preexec=None):
        self.log_path = log_path
        self.log = open(log_path, "ab")
        full_env = dict(os.environ)
        full_env.pop("MARQUEE_JWT_SECRET", None)
        full_env.update(env or {})
        self.process = subprocess.Popen([marquee, "serve", "--listen", "127.0.0.1:0", *args],
                                        stdout=subprocess.PIPE, stderr=self.log, env=full_env,
                                        preexec_fn=preexec)
        self.banner = []
        deadline = time.monotonic() + 20
        self.port = None
        while self.port is None:
            line = self.process.stdout.readline().decode()
            if not line:
                raise Failure(f"marquee serve exited ({self.process.wait()}) before listening: {self.stderr()}")
            self.banner.append(line)
            match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if match:
                self.port = int(match.group(1))
            check(time.monotonic() < deadline, "marquee serve did not start listening")
        self._drain = threading.Thread(target=self._read_rest, daemon=True)
        self._drain.start()
        self.token = token

    def _read_rest(self):
        for line in self.process.stdout:
            self.banner.append(line.decode())

    def banner_token(self, wait=2.0):
        """The token the start-up banner printed, if any (it follows the listening line)."""
        deadline = time.monotonic() + wait
        while True:
            for line in list(self.banner):
                line = line.strip()
                if line.count(".") == 2 and line.startswith("eyJ"):
                    return line
            if time.monotonic() >= deadline or self.process.poll() is not None:
                return None
            time.sleep(0.05)

    def client(self, token="default"):
        return Client(self.port, self.token if token == "default" else token)

    def get(self, path, token="default", headers=None, method="GET"):
        client = self.client(token)
        try:
            return client.request(path, method=method, headers=headers)
        finally:
            client.close()

    def metrics(self):
        return parse_metrics(self.get("/metrics", token=None).body.decode())

    def stderr(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def wait_ready(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.get("/readyz", token=None).status == 200:
                return
            time.sleep(0.05)
        raise Failure("server never became ready: " + self.stderr())

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.wait_exit(timeout)

    def wait_exit(self, timeout=15):
        """Waits for the process to exit on its own (no further signal); its exit code."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise Failure(f"marquee serve did not exit within {timeout}s")
        self.log.close()
        return code

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Redis:
    """A real redis-server on a free port, no persistence, in a temporary dir."""

    def __init__(self, directory, port=None):
        binary = shutil.which("redis-server")
        check(binary is not None, "redis-server is not installed (Debian package redis-server)")
        self.port = port or free_port()
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", directory],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            check(time.monotonic() < deadline, "redis-server did not start")
            time.sleep(0.05)

    def command(self, *parts):
        payload = f"*{len(parts)}\r\n" + "".join(f"${len(p.encode())}\r\n{p}\r\n" for p in parts)
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            s.sendall(payload.encode())
            return s.recv(65536)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Marquee:
    """The storage commands of the real CLI, on one backend."""

    def __init__(self, binary, data_dir, db_url):
        self.binary, self.data_dir, self.db_url = binary, data_dir, db_url

    def store_args(self):
        args = ["--data-dir", self.data_dir]
        if self.db_url:
            args += ["--db", self.db_url]
        return args

    def serve_args(self):
        return ["--db", self.db_url] if self.db_url else ["--data-dir", self.data_dir]

    def cli(self, *args):
        out = subprocess.run([self.binary, *args], capture_output=True, text=True)
        if out.returncode != 0:
            raise Failure(f"marquee {' '.join(args)} failed ({out.returncode}): {out.stderr}")
        return out.stdout

    def generate(self, path, movies, seed):
        self.cli("generate", "--movies", str(movies), "--seed", str(seed), "--out", path)

    def run(self, csv_path, *extra):
        """marquee run; returns the run id."""
        out = self.cli("run", csv_path, *self.store_args(), *extra)
        match = re.search(r"run (\S+) (?:published|loaded)", out)
        check(match is not None, f"no run id in `marquee run` output: {out}")
        return match.group(1)

    def publish(self, run_id):
        self.cli("publish", run_id, *self.store_args())


def parse_args():
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--marquee", required=True)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--db-url", default="")
    parser.add_argument("--empty-db-url", default="", help="a second, empty database (PostgreSQL)")
    parser.add_argument("--db-stop-script", default="", help="stops the database server (PostgreSQL)")
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    if args.backend == "postgresql":
        check(args.db_url, "--db-url is required for postgresql")
    return args


# ------------------------------------------------------------------ OpenAPI

class OpenApi:
    """Checks live responses against the served OpenAPI document: the status
    must be documented for the route, and a JSON body must match its schema
    (types, required properties, nullable, enums)."""

    def __init__(self, document):
        self.doc = document
        self.seen = set()

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            kind, name = node["$ref"].split("/")[-2:]
            node = self.doc["components"][kind][name]
        return node

    def template_of(self, path):
        path = path.split("?")[0]
        actual = path.strip("/").split("/")
        for template in self.doc["paths"]:
            pattern = template.strip("/").split("/")
            if len(pattern) == len(actual) and all(p == a or (p.startswith("{") and a) for p, a in zip(pattern, actual)):
                return template
        return None

    def check_reply(self, path, reply):
        template = self.template_of(path)
        check(template is not None, f"{path}: no such path in /openapi.json")
        responses = self.doc["paths"][template]["get"]["responses"]
        check(str(reply.status) in responses, f"{path}: status {reply.status} is not documented ({sorted(responses)})")
        self.seen.add((template, reply.status))
        response = self.resolve(responses[str(reply.status)])
        content = response.get("content", {})
        if reply.status == 304 or not content:
            return
        if "application/json" in content:
            self.validate(self.resolve(content["application/json"]["schema"]), json.loads(reply.body), f"{path} body")

    def validate(self, schema, value, where):
        schema = self.resolve(schema)
        if value is None:
            check(schema.get("nullable", False), f"{where}: null where the schema does not allow it")
            return
        kind = schema.get("type")
        types = {"object": dict, "array": list, "string": str, "boolean": bool}
        if kind == "integer":
            check(isinstance(value, int) and not isinstance(value, bool), f"{where}: {value!r} is not an integer")
        elif kind == "number":
            check(isinstance(value, (int, float)) and not isinstance(value, bool), f"{where}: {value!r} is not a number")
        elif kind in types:
            check(isinstance(value, types[kind]), f"{where}: {value!r} is not a {kind}")
        if "enum" in schema:
            check(value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}")
        if kind == "object":
            for name in schema.get("required", []):
                check(name in value, f"{where}: required property {name} missing")
            for name, sub in schema.get("properties", {}).items():
                if name in value:
                    self.validate(sub, value[name], f"{where}.{name}")
        if kind == "array":
            for i, item in enumerate(value[:50]):
                self.validate(schema["items"], item, f"{where}[{i}]")
