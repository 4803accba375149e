"""Reading printed numbers: thousands separators, stray spaces, full-width digits, units.

All money leaves this module as ``Decimal`` in 万元. A figure printed in 元 is multiplied by
0.0001 exactly (Decimal, never float), so 元 amounts survive to the last 分.

The unit factors and the tolerances are rows of ``seeds/ref_amount_rule.csv``, which dbt reads
too (``dbt_project/macros/amounts.sql``): each rule is written once, for both sides.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from ingest.parse.vocabulary import read_reference_seed

# a printed number: optional sign, digits with optional thousands separators, optional decimals
NUMBER = r"[-−]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?"
NUMBER_RE = re.compile(NUMBER)
AMOUNT_RULES = "ref_amount_rule.csv"
UNIT_FACTOR = "unit_factor"  # the rule of the rows that convert a printed unit to 万元


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, str], ...]:
    return tuple(read_reference_seed(AMOUNT_RULES))


@lru_cache(maxsize=1)
def unit_factors() -> dict[str, Decimal]:
    """Money unit → its factor to 万元 (亿元 10000, 万元 1, 元 0.0001), in the seed's order."""
    return {row["unit"]: Decimal(row["value"]) for row in _rules() if row["rule"] == UNIT_FACTOR}


@lru_cache(maxsize=1)
def money_units() -> tuple[str, ...]:
    """The money units a document may print (亿元, 万元, 元): longest first, as the seed lists them."""
    return tuple(unit_factors())


@cache
def amount_rule(rule: str) -> Decimal:
    """A tolerance or limit of ``ref_amount_rule.csv`` in 万元: rounding_per_summed_row, same_amount,
    max_plausible_amount."""
    values = [row["value"] for row in _rules() if row["rule"] == rule]
    if len(values) != 1:
        raise KeyError(f"{AMOUNT_RULES}: {len(values)} rows of rule {rule!r}, one expected")
    return Decimal(values[0])


def normalise_text(text: str) -> str:
    """Full-width digits and punctuation folded to ASCII where it matters for numbers."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u3000", " ").replace("\xa0", " ")


PLAIN_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?")


@lru_cache(maxsize=1 << 16)
def parse_number(printed: str | None) -> Decimal | None:
    """ "1,727.58" -> Decimal("1727.58"); blanks, dashes and words -> None.

    Remembered per printed text (a Decimal cannot change): a document reads the same cells and
    tokens several times, and "0", "0.00" recur in every one."""
    if printed is None:
        return None
    # NFKC leaves ASCII as it is: only other text needs folding
    cleaned = (printed if printed.isascii() else normalise_text(printed)).strip().replace(" ", "")
    cleaned = cleaned.replace(",", "").replace("−", "-").rstrip("%")
    if cleaned in ("", "-", "--", "/", "—", "——"):
        return None
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    if not PLAIN_NUMBER_RE.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None


def to_wan(value: Decimal | None, unit: str) -> Decimal | None:
    """Convert a money value in ``unit`` (亿元, 万元, 元) to 万元."""
    if value is None:
        return None
    factor = unit_factors().get(unit)
    if factor is None:
        raise ValueError(f"not a money unit: {unit!r}")
    result = value * factor
    return result.normalize() if result == result.to_integral() else result


def max_plausible_wan() -> Decimal:
    """No budget line of any Chinese government unit reaches 10^11 万元 (the whole national budget is
    about 3 × 10^10 万元); a larger "amount" is digits of codes or numbers run together, never money.
    DECIMAL(18, 6) in the warehouse holds up to 10^12. Rule ``max_plausible_amount``."""
    return amount_rule("max_plausible_amount")


def is_plausible_wan(value: Decimal | None) -> bool:
    """False for an amount in 万元 that cannot be a budget figure (see ``max_plausible_wan``)."""
    return value is None or abs(value) < max_plausible_wan()


def format_decimal(value: Decimal | None) -> str:
    """Plain fixed-point text for CSV: no exponent, no trailing zeros beyond what was printed."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
