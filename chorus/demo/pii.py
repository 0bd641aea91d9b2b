"""PII values to plant: user personas and fresh names, emails, phones, addresses, cards, IPs
and URLs, all drawn from one ``random.Random`` and the banks in ``pii_values.json``.

Values are fictional by construction: US phones stay in the 555-0100..0199 block, UK ones in
Ofcom's drama ranges, cards are Luhn-valid but random, private and documentation-like IPs.
The order of draws from ``rng`` is part of the generator's output; keep it.
"""

from __future__ import annotations

import random

from chorus.demo.banks import (
    AREA_CODES,
    CITIES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    SITES,
    STREET_SUFFIXES,
    STREETS,
    URL_PATHS,
)

__all__ = ["PII_TYPES", "PII_WEIGHTS", "luhn_digit", "new_persona", "pii_value"]

PII_TYPES: tuple[str, ...] = (
    "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS", "CREDIT_CARD", "IP_ADDRESS",
    "URL",
)
PII_WEIGHTS = (0.33, 0.14, 0.15, 0.12, 0.08, 0.08, 0.10)  # parallel to PII_TYPES
_CASUAL_SHARE = 0.15  # of users who write in the casual lowercase/typo style


def luhn_digit(body: str) -> str:
    """Returns the Luhn check digit that makes ``body + digit`` valid."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _card(rng: random.Random) -> str:
    """A Luhn-valid 16-digit Visa or Mastercard number in groups of four."""
    prefix = "4" if rng.random() < 0.55 else str(rng.randint(51, 55))
    body = prefix + "".join(rng.choice("0123456789") for _ in range(15 - len(prefix)))
    digits = body + luhn_digit(body)
    return (" " if rng.random() < 0.8 else "-").join(digits[i:i + 4] for i in range(0, 16, 4))


def _phone(rng: random.Random) -> str:
    tail = f"{rng.randint(0, 99):02d}"  # US numbers stay in the fictional 555-0100..0199 block
    area = rng.choice(AREA_CODES)
    return rng.choice((
        f"({area}) 555-01{tail}", f"{area}-555-01{tail}", f"+1 {area} 555 01{tail}",
        f"{area}.555.01{tail}", f"+44 20 7946 0{rng.randint(0, 999):03d}",
        f"+44 161 496 0{rng.randint(0, 999):03d}", f"07700 900{rng.randint(0, 999):03d}",
    ))


def _address(rng: random.Random) -> str:
    addr = f"{rng.randint(2, 2400)} {rng.choice(STREETS)} {rng.choice(STREET_SUFFIXES)}"
    if rng.random() < 0.3:
        addr += f", Apt {rng.randint(1, 12)}{rng.choice('ABCD')}"
    return f"{addr}, {rng.choice(CITIES)}"


def _email(rng: random.Random, first: str, last: str) -> str:
    f, s = first.lower(), "".join(c for c in last.lower() if c.isalpha())
    num = rng.randint(1, 99)
    local = rng.choice((f"{f}.{s}", f"{f}{s}", f"{f}_{s}", f"{f[0]}.{s}", f"{f}.{s}{num}"))
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def _ip(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"192.168.{rng.randint(0, 1)}.{rng.randint(2, 254)}"
    return f"{rng.choice((84, 81, 92, 145, 176, 203, 51, 62, 37))}.{rng.randint(1, 254)}." \
           f"{rng.randint(0, 254)}.{rng.randint(1, 254)}"


def _url(rng: random.Random, sites: tuple[str, ...] = SITES) -> str:
    scheme = "https://www." if rng.random() < 0.7 else "https://"
    return f"{scheme}{rng.choice(sites)}/{rng.choice(URL_PATHS)}/{rng.randint(10, 9999)}"


def new_persona(rng: random.Random) -> dict:
    """A user's own name, email, phone, address and writing style, reused across conversations."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return {"full": f"{first} {last}", "EMAIL_ADDRESS": _email(rng, first, last),
            "PHONE_NUMBER": _phone(rng), "STREET_ADDRESS": _address(rng),
            "casual": rng.random() < _CASUAL_SHARE}


def pii_value(rng: random.Random, kind: str, pii_type: str, persona: dict,
              sites: tuple[str, ...] = SITES) -> str:
    """A value of ``pii_type`` for a template of value ``kind``: ``self`` takes the persona's
    own, ``first``/``full`` (names) a random first or full name, anything else a fresh value;
    URLs point at one of ``sites``."""
    if pii_type == "PERSON":
        return {"self": persona["full"], "first": rng.choice(FIRST_NAMES),
                "full": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"}[kind]
    if kind == "self":
        return persona[pii_type]
    if pii_type == "EMAIL_ADDRESS":
        return _email(rng, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
    if pii_type == "URL":
        return _url(rng, sites)
    return {"PHONE_NUMBER": _phone, "STREET_ADDRESS": _address, "CREDIT_CARD": _card,
            "IP_ADDRESS": _ip}[pii_type](rng)
