"""Words of table headers in PDF text dumps, as data: one row per term, with where it was first seen.

A text dump loses the column positions of a table, so the reader rebuilds header cells from
their wrapped fragments ("一般公共预算" + "拨款") by these words. A term is compared without
spaces, quotes, and with ASCII brackets read as full-width ones (``compact``).

Roles:

- ``label``: heads a text column (codes, names) — 科目编码, 科目名称, 项目, 预算单位 …
- ``half``: names a half of a side-by-side table (收入 | 支出)
- ``group``: may head several amount columns (本年收入, 财政拨款, 基本支出 …); whether it does
  in a given table is decided from the table itself (how many amount columns its rows hold)
- ``money``: heads one amount column

A new wording is a new row here, never a branch in the reader. An unknown header word is still
read (as an amount column's label when the count of columns allows it); the vocabulary only
helps join fragments and tell groups from columns.
"""

from __future__ import annotations

import re

# (term, role, first seen in samples/national/…)
HEADER_TERMS: tuple[tuple[str, str, str], ...] = (
    # text columns
    ("项目", "label", "深圳 收支总表"),
    ("科目", "label", "重庆 收入总体情况表"),
    ("科目编码", "label", "深圳 支出总表"),
    ("科目代码", "label", "official 决算 template"),
    ("科目名称", "label", "深圳 支出总表"),
    ("功能分类科目", "label", "重庆 一般公共预算支出情况表"),
    ("经济分类科目", "label", "重庆 一般公共预算基本支出情况表"),
    ("功能科目", "label", "长沙 一般公共预算支出情况表"),
    ("部门预算支出经济分类科目", "label", "无锡 财政拨款基本支出表"),
    ("预算单位", "label", "深圳 收入总表"),
    ("单位名称", "label", "福州 收入预算总表"),
    ("单位编码", "label", "official 决算 template"),
    ("部门代码", "label", "无锡 收入总表"),
    ("部门名称", "label", "无锡 收入总表"),
    ("支出项目类别", "label", "深圳 基本支出总表"),
    ("项目名称", "label", "湖州 项目支出预算表"),
    ("项目编号", "label", "重庆 政府采购预算明细表"),
    ("序号", "label", "重庆 项目绩效目标表"),
    ("年度", "label", "深圳 三公经费支出表"),
    ("类", "label", "烟台 收入总体情况表"),
    ("款", "label", "烟台 收入总体情况表"),
    ("项", "label", "烟台 收入总体情况表"),
    ("采购品目大类", "label", "无锡 政府采购支出表"),
    ("专项名称", "label", "无锡 政府采购支出表"),
    ("经济科目", "label", "无锡 政府采购支出表"),
    ("采购品目名称", "label", "无锡 政府采购支出表"),
    ("采购组织形式", "label", "无锡 政府采购支出表"),
    # halves of a side-by-side table
    ("收入", "half", "深圳 收支总表"),
    ("支出", "half", "深圳 收支总表"),
    # words that may head several amount columns
    ("本年收入", "group", "深圳 收入总表"),
    ("本年支出", "group", "official 决算 template"),
    ("财政拨款", "group", "深圳 收入总表"),
    ("财政拨款收入", "group", "烟台 收入总体情况表"),
    ("本级财政拨款", "group", "长沙 收入总体情况表"),
    ("单位资金", "group", "深圳 收入总表"),
    ("上年结转结余", "group", "无锡 收入总表"),
    ("上年结转", "group", "烟台 收入总体情况表"),
    ("基本支出", "group", "无锡 财政拨款支出表"),
    ("其中", "group", "福州 一般公共预算拨款支出预算表"),
    ("其中：", "group", "福州 一般公共预算拨款支出预算表"),
    ("资金来源", "group", "无锡 政府采购支出表"),
    ("三公经费", "group", "湖州 三公经费支出表"),
    ("公务用车购置及运行费", "group", "重庆 三公经费支出情况表"),
    ("公务用车购置及运行维护费", "group", "无锡 三公经费支出表"),
    ("本年政府性基金预算支出", "group", "无锡 政府性基金预算支出表"),
    ("本年一般公共预算基本支出", "group", "无锡 一般公共预算基本支出表"),
    ("本年财政拨款基本支出", "group", "无锡 财政拨款基本支出表"),
    ("预算数", "group", "重庆 政府性基金预算支出情况表"),
    ("本年预算", "group", "长沙 收支总体情况表"),
    ("当年预算", "group", "重庆 项目绩效目标表"),
    # amount columns
    ("合计", "money", "everywhere"),
    ("总计", "money", "everywhere"),
    ("小计", "money", "everywhere"),
    ("收入总计", "money", "深圳 收入总表"),
    ("支出总计", "money", "深圳 支出总表"),
    ("收入合计", "money", "福州 收支预算总表"),
    ("支出合计", "money", "福州 收支预算总表"),
    ("本年收入合计", "money", "official 决算 template"),
    ("本年支出合计", "money", "无锡 国有资本经营预算支出预算表"),
    ("三公经费合计", "money", "无锡 三公经费支出表"),
    ("项目支出", "money", "everywhere"),
    ("人员经费", "money", "无锡 财政拨款支出表"),
    ("公用经费", "money", "无锡 财政拨款支出表"),
    ("人员支出", "money", "湖州 支出预算总表"),
    ("事业单位经营支出", "money", "深圳 支出总表"),
    ("上缴上级支出", "money", "深圳 支出总表"),
    ("对附属单位补助支出", "money", "深圳 支出总表"),
    ("一般公共预算", "money", "无锡 收入总表"),
    ("政府性基金预算", "money", "无锡 收入总表"),
    ("国有资本经营预算", "money", "无锡 收入总表"),
    ("政府性基金", "money", "无锡 政府采购支出表"),
    ("一般公共预算拨款", "money", "深圳 收入总表"),
    ("政府性基金预算拨款", "money", "深圳 收入总表"),
    ("国有资本经营预算拨款", "money", "深圳 收入总表"),
    ("一般公共预算拨款收入", "money", "重庆 收入总体情况表"),
    ("政府性基金预算拨款收入", "money", "重庆 收入总体情况表"),
    ("国有资本经营预算拨款收入", "money", "重庆 收入总体情况表"),
    ("一般公共预算收入", "money", "烟台 收入总体情况表"),
    ("政府性基金预算收入", "money", "烟台 收入总体情况表"),
    ("国有资本经营预算收入", "money", "烟台 收入总体情况表"),
    ("一般公共预算资金", "money", "无锡 政府采购支出表"),
    ("财政专户管理资金", "money", "深圳 收入总表"),
    ("财政专户管理资金收入", "money", "重庆 收入总体情况表"),
    ("专户资金结转结余", "money", "湖州 收入预算总表"),
    ("单位资金结转结余", "money", "湖州 收入预算总表"),
    ("事业收入", "money", "everywhere"),
    ("事业收入（不含教育收费）", "money", "烟台 收入总体情况表"),
    ("事业单位经营收入", "money", "everywhere"),
    ("事业单位经营服务收入", "money", "长沙 收入总体情况表"),
    ("财政专户管理事业收入", "money", "长沙 收入总体情况表"),
    ("其它收入", "money", "长沙 收入总体情况表"),
    ("金额", "money", "长沙 收入总体情况表"),
    ("其中：经费拨款", "money", "长沙 收入总体情况表"),
    ("上级补助收入", "money", "everywhere"),
    ("附属单位上缴收入", "money", "everywhere"),
    ("其他收入", "money", "everywhere"),
    ("其他资金", "money", "无锡 政府采购支出表"),
    ("使用非财政拨款结余", "money", "烟台 收入总体情况表"),
    ("上年结余、结转", "money", "深圳 收入总表"),
    ("上年结转和结余资金", "money", "无锡 政府采购支出表"),
    ("机关运行经费支出", "money", "无锡 机关运行经费支出预算表"),
    ("因公出国（境）费", "money", "重庆 三公经费支出情况表"),
    ("因公出国（境）费用", "money", "湖州 三公经费支出表"),
    ("公务用车购置费", "money", "重庆 三公经费支出情况表"),
    ("公务用车运行费", "money", "重庆 三公经费支出情况表"),
    ("公务用车运行维护费", "money", "无锡 三公经费支出表"),
    ("公务接待费", "money", "everywhere"),
    ("会议费", "money", "无锡 三公经费支出表"),
    ("培训费", "money", "无锡 三公经费支出表"),
)

# a heading that starts with a year may head a block of columns: "2026年预算数", "2026年政府采购项目"
YEAR_GROUP_RE = re.compile(r"^\d{4}年")
# …and is a whole word (wrapped fragments join into it) when it is a year's 预算数/决算数
YEAR_TERM_RE = re.compile(r"^\d{4}年(?:度)?(?:预算|决算|执行)数?$")
# a label column heading that no row above names: "…编码", "…名称" (never one ending as an amount's word)
LABEL_SUFFIX_RE = re.compile(r"(?:编码|代码|名称|序号|类别|科目)$")
# a cell that says "of which": its columns are parts of another column, not addends of a total
OF_WHICH_RE = re.compile(r"^其中")
# the last words of a column that totals others (合计, 小计, 收入总计, “三公”经费合计)
TOTAL_LEAF_RE = re.compile(r"(?:合计|总计|小计)$")
SUBTOTAL = "小计"

_BRACKETS = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，"})
_DROPPED = re.compile(r"[\s“”\"'‘’]")


def compact(text: str) -> str:
    """A header text as the vocabulary spells it: no spaces or quotes, full-width brackets."""
    return _DROPPED.sub("", text).translate(_BRACKETS)


TERMS: dict[str, str] = {compact(term): role for term, role, _ in HEADER_TERMS}
PREFIXES: frozenset[str] = frozenset(term[:i] for term in TERMS for i in range(1, len(term)))


def role_of(text: str) -> str | None:
    """The role of a known header text, ``None`` for a word the vocabulary does not hold."""
    key = compact(text)
    if key in TERMS:
        return TERMS[key]
    if YEAR_GROUP_RE.match(key):
        return "group"
    return None


def is_term(text: str) -> bool:
    """A whole header word: a vocabulary term or a year's 预算数 ("2026年预算数")."""
    key = compact(text)
    return key in TERMS or bool(YEAR_TERM_RE.match(key))


def is_prefix(text: str) -> bool:
    """A fragment that a known term starts with, short of the whole term ("一般公共预", "对附属单")."""
    key = compact(text)
    return key in PREFIXES or bool(re.fullmatch(r"\d{4}年?(?:度)?(?:预算|决算)?", key))


def is_label_heading(text: str) -> bool:
    key = compact(text)
    return TERMS.get(key) == "label" or (TERMS.get(key) is None and bool(LABEL_SUFFIX_RE.search(key)))
