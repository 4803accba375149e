"""Reading printed numbers: thousands separators, stray spaces, full-width digits, units.

All money leaves this module as ``Decimal`` in 万元. A figure printed in 元 is divided by
10 000 exactly (Decimal, never float), so 元 amounts survive to the last 分.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

WAN = Decimal(10000)

# a printed number: optional sign, digits with optional thousands separators, optional decimals
NUMBER = r"[-−]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?"
NUMBER_RE = re.compile(NUMBER)
MONEY_UNITS = ("亿元", "万元", "元")
_UNIT_FACTOR = {"亿元": Decimal(10000), "万元": Decimal(1), "元": Decimal(1) / WAN}


def normalise_text(text: str) -> str:
    """Full-width digits and punctuation folded to ASCII where it matters for numbers."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u3000", " ").replace("\xa0", " ")


def parse_number(printed: str | None) -> Decimal | None:
    """ "1,727.58" -> Decimal("1727.58"); blanks, dashes and words -> None."""
    if printed is None:
        return None
    cleaned = normalise_text(printed).strip().replace(" ", "")
    cleaned = cleaned.replace(",", "").replace("−", "-").rstrip("%")
    if cleaned in ("", "-", "--", "/", "—", "——"):
        return None
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None


def to_wan(value: Decimal | None, unit: str) -> Decimal | None:
    """Convert a money value in ``unit`` (亿元, 万元, 元) to 万元."""
    if value is None:
        return None
    factor = _UNIT_FACTOR.get(unit)
    if factor is None:
        raise ValueError(f"not a money unit: {unit!r}")
    result = value * factor
    return result.normalize() if result == result.to_integral() else result


# No budget line of any Chinese government unit reaches 10^11 万元 (the whole national budget is
# about 3 × 10^10 万元); a larger "amount" is digits of codes or numbers run together, never money.
# DECIMAL(18, 6) in the warehouse holds up to 10^12.
MAX_PLAUSIBLE_WAN = Decimal(10) ** 11


def is_plausible_wan(value: Decimal | None) -> bool:
    """False for an amount in 万元 that cannot be a budget figure (see ``MAX_PLAUSIBLE_WAN``)."""
    return value is None or abs(value) < MAX_PLAUSIBLE_WAN


def format_decimal(value: Decimal | None) -> str:
    """Plain fixed-point text for CSV: no exponent, no trailing zeros beyond what was printed."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
