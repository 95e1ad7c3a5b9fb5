"""Values from a request, made safe to put in a log line.

A request id or intent name with a newline in it could otherwise forge log lines.
"""

import logging
import re
from typing import Any

_UNSAFE = re.compile(r"[^A-Za-z0-9._:@/-]")


def log_field(value: Any) -> str:
    """No spaces, newlines or floods: one token, at most 120 characters ("-" when empty)."""
    return _UNSAFE.sub("?", str(value))[:120] if value else "-"


def skip_call_sites() -> None:
    """Log records made without looking up the file, line and function that logged them.

    No format of ours prints them (`%(pathname)s`, `%(lineno)d`, `%(funcName)s`: the web
    service's LOG_FORMAT, gunicorn's and the Lambda runtime's text format), and the look-up
    (`sys._getframe` and a walk up the stack) is about half of a log line's cost: one line
    per request. This is the setting the logging HOWTO's "Optimization" section gives for it.
    Records then say "(unknown file)", line 0 (what Lambda's JSON log format, which the
    template does not select, would print as the location)."""
    logging._srcfile = None
