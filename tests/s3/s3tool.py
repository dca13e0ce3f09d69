#!/usr/bin/env python3
"""A minimal S3 client for the test suites (Python standard library only): its
own SigV4 signer, independent of Marquee's, so the suite never uses Marquee to
set up or check what is in the bucket.

  s3tool.py mb BUCKET               create a bucket
  s3tool.py put BUCKET KEY FILE     upload a file
  s3tool.py get BUCKET KEY FILE     download an object (exit 3 when absent)
  s3tool.py ls BUCKET [PREFIX]      list keys, one per line, with sizes
  s3tool.py rm BUCKET KEY           delete an object

Endpoint and keys from AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_REGION.
"""
import datetime
import hashlib
import hmac
import http.client
import os
import sys
import urllib.parse
import xml.etree.ElementTree as ET


def _q(text, safe="-_.~"):
    return urllib.parse.quote(text, safe=safe)


def request(method, bucket, key="", query=None, body=b""):
    status, _, data = request_full(method, bucket, key, query, body)
    return status, data


def request_full(method, bucket, key="", query=None, body=b""):
    """(status, headers with lower-case names, body)."""
    endpoint = urllib.parse.urlsplit(os.environ["AWS_ENDPOINT_URL"])
    region = os.environ.get("AWS_REGION", "us-east-1")
    access, secret = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
    path = "/" + _q(bucket) + ("/" + _q(key, "-_.~/") if key else "")
    query = query or {}
    cq = "&".join(f"{_q(k)}={_q(v)}" for k, v in sorted(query.items()))
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    payload = hashlib.sha256(body).hexdigest()
    headers = {"host": endpoint.netloc, "x-amz-date": amz_date, "x-amz-content-sha256": payload}
    signed = ";".join(sorted(headers))
    creq = "\n".join([method, path, cq] + [f"{k}:{headers[k]}" for k in sorted(headers)] + ["", signed, payload])
    scope = f"{day}/{region}/s3/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (day, region, "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={access}/{scope}, SignedHeaders={signed}, Signature={sig}"
    conn = http.client.HTTPConnection(endpoint.hostname, endpoint.port, timeout=60)
    conn.request(method, path + ("?" + cq if cq else ""), body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data


def main(argv):
    cmd = argv[1]
    if cmd == "mb":
        status, data = request("PUT", argv[2])
    elif cmd == "put":
        with open(argv[4], "rb") as f:
            status, data = request("PUT", argv[2], argv[3], body=f.read())
    elif cmd == "get":
        status, data = request("GET", argv[2], argv[3])
        if status == 404:
            return 3
        if status == 200:
            with open(argv[4], "wb") as f:
                f.write(data)
    elif cmd == "rm":
        status, data = request("DELETE", argv[2], argv[3])
    elif cmd == "ls":
        query = {"prefix": argv[3]} if len(argv) > 3 else {}
        status, data = request("GET", argv[2], query=query)
        if status == 200:
            ns = {"s3": "http://s3.amazonaws.com/doc/2006-03-01/"}
            for item in ET.fromstring(data).findall("s3:Contents", ns):
                print(item.find("s3:Key", ns).text, item.find("s3:Size", ns).text)
    else:
        raise SystemExit(f"unknown command {cmd}")
    if status // 100 != 2:
        sys.stderr.write(f"s3tool {cmd}: HTTP {status}: {data[:300]!r}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
