#!/usr/bin/env python3
"""sqlmap tamper script: a fresh, valid signature on every stock webhook request.

POST /api/partners/webhooks/stock checks X-Timestamp (at most 5 minutes off) and X-Signature (HMAC-SHA256 of
"<timestamp>.<raw body>" with the partner's webhook secret) before it looks at anything else, so a payload in a header
such as X-Delivery-Id only reaches the code behind the check when the request is signed. The body is constant (the
injection point is a header); scan.sh passes it and the secret in SCAN_WEBHOOK_BODY and SCAN_WEBHOOK_SECRET.
"""
import hashlib
import hmac
import os
import time

from lib.core.enums import PRIORITY

__priority__ = PRIORITY.NORMAL


def dependencies():
    pass


def tamper(payload, **kwargs):
    headers = kwargs.get("headers", {})
    secret = os.environ["SCAN_WEBHOOK_SECRET"].encode()
    body = os.environ["SCAN_WEBHOOK_BODY"].encode()
    timestamp = str(int(time.time()))
    headers["X-Timestamp"] = timestamp
    headers["X-Signature"] = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return payload
