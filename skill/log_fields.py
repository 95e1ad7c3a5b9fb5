"""Values from a request, made safe to put in a log line.

A request id or intent name with a newline in it could otherwise forge log lines.
"""

import re
from typing import Any

_UNSAFE = re.compile(r"[^A-Za-z0-9._:@/-]")


def log_field(value: Any) -> str:
    """No spaces, newlines or floods: one token, at most 120 characters ("-" when empty)."""
    return _UNSAFE.sub("?", str(value))[:120] if value else "-"
