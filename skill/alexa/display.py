"""What an Echo Show displays: the reply's title and text on a simple APL screen.

Voice stays complete on its own; the screen only repeats it. Sent only to devices that
declare Alexa.Presentation.APL, as Alexa requires.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

APL_DOCUMENT = Path(__file__).resolve().parent.parent / "data" / "apl" / "screen.json"
TOKEN = "ankleCoachScreen"


@cache
def document() -> dict[str, Any]:
    return json.loads(APL_DOCUMENT.read_text(encoding="utf-8"))


def supports_screen(supported_interfaces: Any) -> bool:
    """True when the device declared APL; the SDK model keeps it as an attribute."""
    return getattr(supported_interfaces, "alexa_presentation_apl", None) is not None


def screen_directive(title: str, body: str, footer: str = "") -> RenderDocumentDirective:
    # Imported here: the APL model classes cost a cold start ~10 ms, and most requests
    # come from devices without a screen.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(
        token=TOKEN,
        document=document(),
        datasources={"screen": {"title": title, "body": body, "footer": footer}},
    )
