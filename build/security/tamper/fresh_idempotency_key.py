#!/usr/bin/env python3
"""sqlmap tamper script: a new Idempotency-Key header on every request.

POST /api/checkout answers 422 idempotency.key_reused when one key comes with a different body, which would hide every
payload behind the same answer. With a fresh key each payload reaches validation and the database like a real request.
"""
import uuid

from lib.core.enums import PRIORITY

__priority__ = PRIORITY.NORMAL


def dependencies():
    pass


def tamper(payload, **kwargs):
    headers = kwargs.get("headers", {})
    headers["Idempotency-Key"] = uuid.uuid4().hex
    return payload
