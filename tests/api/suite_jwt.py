#!/usr/bin/env python3
"""JWT authentication of `marquee serve` over real HTTP: every failure case,
for HS256 (secret file, environment, the data directory's default secret),
RS256 and ES256 (PEM public keys), iss/aud, scope, and --no-auth.

Tokens are made here, independently of Marquee: HS256 with Python's hmac,
RS256/ES256 with the openssl command line.
"""
import base64
import json
import os
import subprocess
import time

from harness import (TOKEN_SECRET, Marquee, Server, check, check_eq, claims, es256, hs256, make_key_pair,
                     parse_args, run_suite, rs256, section, b64url)

ISSUER, AUDIENCE = "https://issuer.test", "marquee-api"


def status_and_code(server, token):
    reply = server.get("/v1/genres", token=token)
    code = reply.json()["error"]["code"] if reply.status != 200 else None
    return reply.status, code


def expect(server, token, status, code, what):
    got = status_and_code(server, token)
    check_eq(got, (status, code), what)


def decode_part(token, index):
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def hs256_server(args, mq, work):
    section("HS256 with --jwt-issuer and --jwt-audience: every failure case")
    secret_file = os.path.join(work, "secret")
    with open(secret_file, "w") as f:
        f.write(TOKEN_SECRET + "\n")
    server = Server(args.marquee, mq.serve_args() + ["--jwt-secret-file", secret_file, "--jwt-issuer", ISSUER,
                                                     "--jwt-audience", AUDIENCE],
                    os.path.join(work, "serve-hs.log"))
    good = dict(iss=ISSUER, aud=AUDIENCE)
    now = int(time.time())
    try:
        expect(server, hs256(claims(**good)), 200, None, "valid token")
        expect(server, hs256(claims(iss=ISSUER, aud=["other", AUDIENCE])), 200, None, "aud as an array")
        expect(server, hs256(claims(ttl=-5, **good)), 200, None, "expired 5s ago: within the leeway")
        expect(server, hs256(claims(ttl=-120, **good)), 401, "invalid_token", "expired")
        expect(server, hs256(claims(nbf=now + 300, **good)), 401, "invalid_token", "nbf in the future")
        expect(server, hs256(claims(nbf=now + 5, **good)), 200, None, "nbf within the leeway")
        expect(server, hs256(claims(**good), secret="another-secret-another-secret-another!"), 401, "invalid_token",
               "wrong signature")
        unsigned = b64url('{"alg":"none","typ":"JWT"}') + "." + b64url(json.dumps(claims(**good))) + "."
        expect(server, unsigned, 401, "invalid_token", "alg none")
        none_signed = hs256(claims(**good), header={"alg": "none"})
        expect(server, none_signed, 401, "invalid_token", "alg none with a signature")
        expect(server, hs256(claims(scope=None, **good)), 403, "insufficient_scope", "no scope")
        expect(server, hs256(claims(scope="marquee:write openid", **good)), 403, "insufficient_scope", "other scopes")
        expect(server, hs256(claims(iss="https://evil.test", aud=AUDIENCE)), 401, "invalid_token", "wrong iss")
        expect(server, hs256(claims(aud=AUDIENCE)), 401, "invalid_token", "missing iss")
        expect(server, hs256(claims(iss=ISSUER, aud="someone-else")), 401, "invalid_token", "wrong aud")
        expect(server, hs256(claims(iss=ISSUER)), 401, "invalid_token", "missing aud")
        token = hs256(claims(**good))
        for malformed in ["abc", "a.b.c", token + ".x", token.replace(".", "..", 1), "é.é.é",
                          b64url("{not json") + "." + token.split(".", 1)[1]]:
            expect(server, malformed, 401, "invalid_token", f"malformed token {malformed[:20]!r}")
        expect(server, None, 401, "unauthorized", "no Authorization header")
        reply = server.get("/v1/genres", token=None, headers={"Authorization": "Basic dXNlcjpwYXNz"})
        check_eq(reply.status, 401, "Basic credentials")
        for path in ("/healthz", "/readyz", "/metrics", "/openapi.json"):
            check_eq(server.get(path, token=None).status, 200, f"{path} needs no token")

        minted = mq.cli("token", "--sub", "ops", "--ttl", "2h", "--jwt-secret-file", secret_file,
                        "--issuer", ISSUER, "--audience", AUDIENCE).strip()
        expect(server, minted, 200, None, "`marquee token` output is accepted")
        payload = decode_part(minted, 1)
        check_eq((payload["sub"], payload["exp"] - payload["iat"], payload["scope"]), ("ops", 7200, "marquee:read"),
                 "minted claims")
        check_eq(decode_part(minted, 0)["alg"], "HS256", "minted alg")
        narrow = mq.cli("token", "--sub", "ops", "--scope", "other", "--jwt-secret-file", secret_file,
                        "--issuer", ISSUER, "--audience", AUDIENCE).strip()
        expect(server, narrow, 403, "insufficient_scope", "minted token without marquee:read")

        metrics = server.metrics()
        for reason in ("expired", "not_yet_valid", "signature", "algorithm", "scope", "issuer", "audience",
                       "malformed", "missing"):
            check(metrics.get(f'marquee_auth_failures_total{{reason="{reason}"}}', 0) >= 1,
                  f"auth failure {reason} counted")
    finally:
        check_eq(server.stop(), 0, "exit code")


def public_key_servers(args, mq, work):
    rsa_private, rsa_public = make_key_pair(work, "rsa")
    ec_private, ec_public = make_key_pair(work, "ec")
    other_rsa = os.path.join(work, "other")
    os.makedirs(other_rsa)
    other_private, _ = make_key_pair(other_rsa, "rsa")
    with open(rsa_public, "rb") as f:
        rsa_public_pem = f.read()

    section("RS256: valid, signature by another key, algorithm confusion, alg none")
    server = Server(args.marquee, mq.serve_args() + ["--jwt-public-key", rsa_public],
                    os.path.join(work, "serve-rs.log"))
    try:
        check(server.banner_token(wait=0.5) is None, "no token printed without a secret to mint one")
        expect(server, rs256(claims(), rsa_private), 200, None, "valid RS256")
        expect(server, rs256(claims(), other_private), 401, "invalid_token", "RS256 signed by another key")
        # The confusion attack: HS256 whose HMAC key is the server's public key.
        expect(server, hs256(claims(), secret=rsa_public_pem), 401, "invalid_token", "HS256 keyed with the RSA public key")
        expect(server, hs256(claims(), secret=rsa_public_pem.strip()), 401, "invalid_token", "confusion, stripped PEM")
        expect(server, b64url('{"alg":"none"}') + "." + b64url(json.dumps(claims())) + ".", 401, "invalid_token",
               "alg none")
        expect(server, es256(claims(), ec_private), 401, "invalid_token", "ES256 token to an RS256 server")
        expect(server, rs256(claims(ttl=-100), rsa_private), 401, "invalid_token", "expired RS256")
        expect(server, rs256(claims(scope="x"), rsa_private), 403, "insufficient_scope", "RS256 without scope")
    finally:
        check_eq(server.stop(), 0, "exit code")

    section("ES256: valid, tampered, other algorithms")
    server = Server(args.marquee, mq.serve_args() + ["--jwt-public-key", ec_public],
                    os.path.join(work, "serve-es.log"))
    try:
        token = es256(claims(), ec_private)
        expect(server, token, 200, None, "valid ES256")
        header, payload, signature = token.split(".")
        forged = header + "." + b64url(json.dumps(claims(sub="admin"))) + "." + signature
        expect(server, forged, 401, "invalid_token", "ES256 with a changed payload")
        expect(server, rs256(claims(), rsa_private), 401, "invalid_token", "RS256 token to an ES256 server")
        expect(server, hs256(claims()), 401, "invalid_token", "HS256 token to an ES256 server")
    finally:
        check_eq(server.stop(), 0, "exit code")


def other_configurations(args, mq, work):
    section("secret from MARQUEE_JWT_SECRET; the data directory's default secret; --no-auth")
    env_secret = "from-the-environment-0123456789abcdef"
    server = Server(args.marquee, mq.serve_args(), os.path.join(work, "serve-env.log"),
                    env={"MARQUEE_JWT_SECRET": env_secret})
    try:
        expect(server, hs256(claims(), secret=env_secret), 200, None, "token signed with MARQUEE_JWT_SECRET")
        expect(server, hs256(claims()), 401, "invalid_token", "token signed with another secret")
    finally:
        check_eq(server.stop(), 0, "exit code")

    # No secret configured: the data directory gets one, and the banner prints a working token.
    default_args = ["--data-dir", mq.data_dir] + (["--db", mq.db_url] if mq.db_url else [])
    server = Server(args.marquee, default_args, os.path.join(work, "serve-default.log"))
    try:
        secret_path = os.path.join(mq.data_dir, "jwt-secret")
        check(os.path.exists(secret_path), "data directory secret created")
        check_eq(oct(os.stat(secret_path).st_mode & 0o777), "0o600", "secret file mode")
        banner = server.banner_token()
        check(banner is not None, f"banner prints a token: {server.banner}")
        check(any("curl -H 'Authorization: Bearer" in line for line in server.banner), "banner prints a curl")
        expect(server, banner, 200, None, "banner token")
        minted = mq.cli("token", "--sub", "x", "--data-dir", mq.data_dir).strip()
        expect(server, minted, 200, None, "`marquee token --data-dir` uses the same secret")
        with open(secret_path) as f:
            expect(server, hs256(claims(), secret=f.read().strip()), 200, None, "token from the secret file")
    finally:
        check_eq(server.stop(), 0, "exit code")

    server = Server(args.marquee, mq.serve_args() + ["--no-auth"], os.path.join(work, "serve-noauth.log"))
    try:
        check_eq(server.get("/v1/genres", token=None).status, 200, "--no-auth answers without a token")
        check("WARNING" in server.stderr() and "--no-auth" in server.stderr(), "--no-auth logs a warning")
    finally:
        check_eq(server.stop(), 0, "exit code")

    section("bad key configuration is refused at start (exit 2)")
    short = os.path.join(work, "short")
    with open(short, "w") as f:
        f.write("too-short")
    bad_pem = os.path.join(work, "bad.pem")
    with open(bad_pem, "w") as f:
        f.write("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
    for extra, what in ([["--jwt-secret-file", short], "short secret"], [["--jwt-public-key", bad_pem], "bad PEM"],
                        [["--jwt-secret-file", os.path.join(work, "missing")], "missing secret file"]):
        out = subprocess.run([args.marquee, "serve", "--listen", "127.0.0.1:0", *mq.serve_args(), *extra],
                             capture_output=True, text=True, timeout=20)
        check_eq(out.returncode, 2, f"exit code for a {what}")
        check("marquee" in out.stderr and len(out.stderr.splitlines()) <= 3, f"one clear message: {out.stderr}")
    out = subprocess.run([args.marquee, "serve", "--listen", "127.0.0.1:0", "--data-dir", os.path.join(work, "nowhere")],
                         capture_output=True, text=True, timeout=20)
    check_eq(out.returncode, 2, "exit code without a database")
    check("marquee.db" in out.stderr and "marquee run" in out.stderr, f"says what to do: {out.stderr}")


def main():
    args = parse_args()
    work = args.work
    mq = Marquee(args.marquee, os.path.join(work, "data"), args.db_url)
    csv = os.path.join(work, "movies.csv")
    mq.generate(csv, 300, 5)
    mq.run(csv)
    hs256_server(args, mq, work)
    public_key_servers(args, mq, work)
    other_configurations(args, mq, work)


if __name__ == "__main__":
    run_suite(main)
