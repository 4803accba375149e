"""Reading printed numbers and units: separators, stray spaces, full-width digits, 元 → 万元."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.parse.amounts import format_decimal, parse_number, to_wan


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1,727.58", "1727.58"),  # thousands separator (Sichuan line 23)
        (" 573.05 ", "573.05"),  # stray spaces (Sichuan line 53)
        ("156,211,123", "156211123"),  # 元 amounts in a budget table
        ("１，２３４．５", "1234.5"),  # full-width digits and punctuation
        ("100.00%", "100.00"),
        ("-3.2", "-3.2"),
        ("(3.2)", "-3.2"),
    ],
)
def test_parse_number(printed, expected):
    assert parse_number(printed) == Decimal(expected)


@pytest.mark.parametrize("printed", ["", "-", "/", "——", "优", "12a", None])
def test_not_a_number(printed):
    assert parse_number(printed) is None


def test_yuan_to_wan_is_exact():
    # 156,211,123 元 = 15621.1123 万元 exactly, and a 分 survives too
    assert to_wan(Decimal("156211123"), "元") == Decimal("15621.1123")
    assert to_wan(Decimal("0.01"), "元") == Decimal("0.000001")
    assert to_wan(Decimal("1.5"), "亿元") == Decimal("15000")


def test_unknown_unit_is_an_error():
    with pytest.raises(ValueError):
        to_wan(Decimal("1"), "人")


def test_format_decimal_has_no_exponent():
    assert format_decimal(Decimal("0.000071")) == "0.000071"
    assert format_decimal(Decimal("1E+1")) == "10"
    assert format_decimal(Decimal("24.130000")) == "24.13"
    assert format_decimal(None) == ""
