"""Phone numbers as WhatsApp gives them, in E.164 (parsed with phonenumbers, not string surgery).

Cloud API: digits without "+" ("31612345678"). whatsapp-web style gateways: "31612345678@c.us",
"31612345678@s.whatsapp.net", "whatsapp:+31612345678". Group ids (@g.us) and linked ids (@lid)
are not phone numbers.
"""

from __future__ import annotations

import phonenumbers

NOT_PHONES = ("@g.us", "@lid", "@broadcast", "@newsletter")
SUFFIXES = ("@c.us", "@s.whatsapp.net")


def whatsapp_phone_e164(raw: str) -> str:
    """ "+31612345678", or "" when `raw` is not a phone number."""
    text = (raw or "").strip().removeprefix("whatsapp:")
    if text.endswith(NOT_PHONES):
        return ""
    for suffix in SUFFIXES:
        text = text.removesuffix(suffix)
    text = text.split(":")[0]  # "31612345678:12@s.whatsapp.net" carries a device number
    digits = text.removeprefix("+")
    if not digits.isdigit():
        return ""
    try:
        number = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
