"""Who published a disclosure, for which year, and whether it is a 决算 or a 预算.

The publisher is read from the document's own words first, wherever a disclosure prints it:

- **labels** (kind ``label``): 预算单位：…, 编制单位：…, 部门名称：… 单位：万元 (table captions sit on
  every table page, in PDFs as lines outside the tables), "341-湖州市财政局 单位：万元", and the
  label cells of a table's first rows (预算单位：…, 单位名称 | …, as in the 绩效 tables);
- **the cover and title** (kind ``title``): the first page's title lines, joined when the cover
  wraps a long name ("福州市公安局治安管理" / "支队" / "单位预算"), a web page's <title> and headings;
- **page headers and part titles** (kind ``header``): "<name>2026年度部门预算公开" on every page,
  "第二部分<name>2024年度部门决算表", a name line over "部门预算绩效评价报告";
- then **the file name** (kind ``file name``, with a warning), then nobody (the pipeline warns).

A candidate is a name only if it ends in an organisation suffix (``ORG_SUFFIXES``), holds no
heading word (``NOT_IN_A_NAME``: 部分, 概况, 目录 …) and does not start as a numbered heading
(第一部分 gives no 第一部). The strongest kind wins, then the most often printed; a longer name
that the winner is the start of, printed as a label or title, wins over it (中共重庆市委宣传部 over
中共重庆市委: the shorter one was cut). A qualifier printed after the name is kept apart
(``QUALIFIERS``): （本级）/本级/机关 alone is the department's own level, （汇总） the department
with its units; ``department_name`` is the name without it, ``name_as_printed`` with it.

The year, phase (决算/预算) and scope (部门/单位) come from the cover title first, then from the
short title-like lines of the first pages, then the file name: a 决算 whose later part is titled
"部门预算绩效评价报告" stays a 决算, and tables titled 单位收支总体情况表 do not make a 部门预算 a
单位预算.

The region is resolved with the ``cpca`` gazetteer (national administrative divisions, MIT
licence), never a hand list: from the chosen name, else from the document's other naming lines
(cover, labels), else from the file path. A central department (``CENTRAL_PREFIXES``: 国家…,
中共中央…, 全国…; or a …部 that names no region, as the State Council's ministries do) is
admin_level ``central`` with adcode 100000 and no province.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from ingest.parse.document import Document, Line
from ingest.parse.records import DocumentRow

# -- tolerances ---------------------------------------------------------------------------------
NAME_MIN_CHARS = 3  # 教育部, 审计署: a name shorter than this is a fragment
NAME_MAX_CHARS = 40  # 上海市统计和大数据研究院（上海市统计数据管理中心） is 26
TITLE_MAX_CHARS = 60  # a longer line (without its money-unit caption) is running text, not a title
COVER_LINES = 12  # lines read as the cover of a document without pages (text)
HEAD_LINES = 40  # lines read for year and phase when the cover says neither
SHORT_LINE_CHARS = 40  # among them, the title-like ones first (a sentence may name another scope)
PARENT_LINES = 80  # lines searched for the parent department (我局为…下属)
TABLE_HEAD_ROWS = 3  # first rows of a table read for a labelled name

# -- vocabulary (data: a new province's wording is a row here, not a branch in code) -------------
# Labels printed before the publisher's name, longest first so that 预算主管部门 is not read as 部门.
# Seen in: 上海 预算单位/编制单位/编制部门/预算主管部门; 深圳, 杭州, 长沙 部门名称; 重庆, 珠海, 长沙
# 单位名称; 烟台 部门（单位）; 无锡, 江苏 部门 / 单位 (单位：<name> in a 单位预算); 长春 预算单位 in a
# table cell; web pages' publisher block 发布机构.
NAME_LABELS = (
    "预算主管部门",
    "部门（单位）",
    "部门(单位)",
    "编制部门",
    "编制单位",
    "预算单位",
    "单位名称",
    "部门名称",
    "填报单位",
    "发布机构",
    "部门",
    "单位",
)
# A label right after one of these words names another party: 主管部门 (the parent), 实施单位 (who
# carries out a project), 本部门/本单位 (a sentence), 所属单位, 下属单位, 二级单位.
OTHER_PARTY_WORDS = ("主管", "实施", "归口", "上级", "所属", "下属", "二级", "本", "各", "执行", "项目", "用款")
# The bare labels 部门： and 单位： name the publisher at the start of a caption ("部门：江苏省政协办公厅
# 单位：万元") or glued after a title ("…预算公开报表部门:中共江苏省委办公厅"); after any other word they
# are part of another label (直属事业单位：…, 承办单位：… of a web page's footer, 行政单位：).
BARE_LABELS = ("部门", "单位")
BARE_LABEL_AFTER = ("表", "公开", "预算", "决算")
# A table cell that is only one of these labels names the publisher in the next cell (绩效 tables).
CELL_LABELS = ("单位名称", "部门名称", "预算单位", "编制单位", "部门（单位）", "部门(单位)", "填报单位")
# How a name ends: organs (局, 委员会, 办公厅 …), public institutions (中心, 院, 学校, 支队 …),
# 街道/镇/乡. The single characters cover the longer forms (管理局, 办公室, 检察院 …).
ORG_SUFFIXES = (
    "局",
    "厅",
    "委",
    "会",
    "署",
    "院",
    "部",
    "处",
    "室",  # organs: 财政局, 办公厅, 市委, 委员会, 审计署, 法院, 宣传部, 办事处, 办公室
    "中心",
    "队",
    "站",
    "所",
    "馆",
    "社",
    "团",
    "宫",
    "台",
    "园",
    "场",
    "校",  # 中心, 支队, 研究所, 出版社, 幼儿园, 学校
    "街道",
    "镇",
    "乡",  # 街道, 镇, 乡 (上海 prints the 街道 itself as a department)
)
# Words that are never part of a department's name: a candidate holding one is a heading, a table
# title or a glued neighbour (第一部分部门概况, 目录, 收支预算总表, 单位：万元).
NOT_IN_A_NAME = (
    "部分",
    "概况",
    "目录",
    "说明",
    "公开",
    "情况",
    "职责",
    "职能",
    "附件",
    "附表",
    "报表",
    "总表",
    "合计",
    "科目",
    "年度",
    "报告",
    "单位名称",
    "部门名称",
    "万元",
)
# A numbered heading: 第一部分, 一、, （一）, 1., 表一, 公开01表, 公开表1.
HEADING_MARK_RE = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+部分?|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[、.．]|表\s*[一二三四五六七八九十\d]+|公开\s*\d+\s*表|公开表\s*\d+|目\s*录)"
)
# Qualifiers printed after a name, and the consolidation each states. （部门）/（单位） only say the scope.
QUALIFIERS = {
    "汇总": "consolidated",
    "本级": "own_level",
    "本部": "own_level",
    "机关": "own_level",
    "部门": "",
    "单位": "",
}
QUALIFIER_RE = re.compile(r"(?:[（(](?P<bracketed>汇总|本级|本部|机关|部门|单位)[）)]|(?P<bare>汇总|本级|机关))$")
# Sentences in which a document says that its own budget is the department's with its units, when
# its name carries no qualifier: "本部门预算为汇总预算" (深圳, 珠海), "纳入本部门2026年部门汇总预算编制
# 范围的预算单位共计42家" (无锡, 江苏).
CONSOLIDATED_STATEMENT_RE = re.compile(
    r"本部门(?:20\d{2}\s*年?\s*度?)?(?:部门)?(?:预算|决算)为汇总(?:预算|决算)"
    r"|纳入本部门\s*(?:20\d{2}\s*年?\s*度?)?\s*部门汇总(?:预算|决算)"
)
# Names of the central government: no province, adcode 100000.
CENTRAL_PREFIXES = ("中共中央", "中央", "国家", "全国", "国务院", "中华人民共和国", "中国")
CENTRAL_ADCODE = "100000"
MUNICIPALITY_SUFFIX = "市"  # a province-level 市 is a municipality (直辖市): its city is itself
MINISTRY_SUFFIX = "部"  # 教育部, 财政部: a …部 naming no region is a ministry of the State Council
# The party's long form, read as its short form for the department key (江苏 prints all three:
# 中国共产党江苏省委员会办公厅, 中共江苏省委办公厅, 江苏省委办公厅).
PARTY_PREFIXES = ("中国共产党", "中共")
# Kinds of candidate, strongest first.
KIND_WEIGHTS = {"label": 4, "title": 3, "header": 2, "file name": 1}
# Which kind says how the document calls itself (its qualifier): the cover prints （本级） where the
# table captions may not (长春市信访局（本级）: "预算单位：长春市信访局").
AS_PRINTED_ORDER = ("title", "label", "header", "file name")

NAME_CHAR = r"[\u4e00-\u9fff（）()·]"
NAME_CHAR_RE = re.compile(NAME_CHAR)
NAME_CHARS_RE = re.compile(NAME_CHAR + "+")  # nothing but name characters
ALIAS_RE = re.compile(r"[（(][^（）()]*[）)]$")
CELL_LABEL_MARKS_RE = re.compile(r"[\s:：]")
WHITESPACE_RE = re.compile(r"\s")
LETTER_SPACING_RE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
ENDS_IN_HAN_RE = re.compile(r"[\u4e00-\u9fff]$")
HEADING_LOCATOR_RE = re.compile(r"(?:title|h[1-3]\b)")
PAGE_LOCATOR_RE = re.compile(r"p\.(\d+)")
# every label LABEL_RE and CAPTION_NAME_RE read holds one of these words: a line with none of them
# labels no publisher
LABEL_WORDS = ("部门", "单位", "发布机构")
YEAR_TOKEN_RE = re.compile(r"(20\d{2})\s*年?\s*度?")
PHASE_RE = re.compile(r"预算|决算")
LEVEL_RE = re.compile(r"[省市区县]级$")
SENTENCE_RE = re.compile(r"[。，；！？、,;]")
LIST_MARKS = ("、", "，", ",", "；")
MONEY_CAPTION_RE = re.compile(r"(?:金额)?单位\s*[:：]\s*[万千亿]?元")
WRAPPABLE_LOCATOR_RE = re.compile(r"p\.\d+ l\.\d+$|line \d+$")
TITLE_TAIL_RE = re.compile(
    r"(?:20\d{2}\s*年?\s*度?)?\s*(?:[省市区县]级)?\s*(?:部门|单位)?\s*(?:预算|决算)"
)  # 部门预算绩效评价报告
SITE_SEPARATOR_RE = re.compile(r"\s*[_|｜]\s*|\s+[-—–]\s+")
CAPTION_NAME_RE = re.compile(
    rf"^\s*(?:\d{{2,}}\s*[-－]\s*)?(?P<name>{NAME_CHAR}+)\s*(?:金额)?单位\s*[:：]\s*[万千亿]?元"
)
LABEL_RE = re.compile(
    r"(?P<label>" + "|".join(re.escape(label) for label in NAME_LABELS) + r")\s*[:：]\s*"
    rf"(?P<value>{NAME_CHAR}+?)(?=(?:金额)?单位\s*[:：]|[^\u4e00-\u9fff（）()·]|$)"
)
YEAR_PHASE_RE = re.compile(
    r"(?P<year>20\d{2})\s*年?\s*度?\s*(?:区级|市级|省级|县级)?\s*(?P<scope>部门|单位)?\s*(?P<phase>决算|预算)"
)
TABLE_YEAR_PHASE_RE = re.compile(
    r"(?P<year>20\d{2})年度?[\u4e00-\u9fff]{0,12}?(?P<phase>决算|预算)[\u4e00-\u9fff]{0,8}?表"
)
PHASE_ONLY_RE = re.compile(r"(?P<scope>部门|单位)?(?P<phase>决算|预算)")
PARENT_RE = re.compile(
    r"(?:我局|我单位|本单位|我中心|我部门)?为(?P<parent>[\u4e00-\u9fff]{2,12}?)(?:下属|所属|管理的)(?:二级|的)?"
)

Warn = Callable[[str, str, str], object]


@dataclass(frozen=True)
class Candidate:
    """One place the document names its publisher."""

    name: str  # without its qualifier: 无锡市教育局
    printed: str  # as printed: 无锡市教育局（本级）
    consolidation: str  # consolidated | own_level | "" (not stated)
    kind: str  # label | title | header | file name
    locator: str
    quote: str


@dataclass(frozen=True)
class TitleReading:
    """What one title-like text says: the name before its 预算/决算, the year, scope and phase."""

    name: tuple[str, str, str] | None  # (name, printed, consolidation) when a valid name stands there
    year: int | None
    scope: str | None  # 部门 | 单位 | None
    phase: str  # 预算 | 决算


# -- the entry point ------------------------------------------------------------------------------


def identify(document: Document, document_id: str, warn: Warn | None = None) -> DocumentRow:
    """The document's identity; ``warn(kind, message, locator)`` hears what could not be settled."""
    warn = warn or (lambda kind, message, locator: None)
    candidates = list(name_candidates(document))
    chosen = choose_name(candidates, warn)
    if chosen is None:
        chosen = _from_file_name(document.source_file)
        if chosen is not None:
            warn(
                "identity_from_file_name",
                f"the document prints no name; {chosen.printed} taken from the file name",
                "file name",
            )
    year, phase, scope, year_locator, year_quote = year_phase(document)
    region, region_source = region_of(chosen.name if chosen else None, document, candidates)
    if chosen and region_source == "file name":
        warn(
            "identity_region_from_file_name",
            f"the region of {chosen.name} is not printed in the document; read from the file path",
            "file name",
        )
    parent = PARENT_RE.search("\n".join(line.text for line in document.lines[:PARENT_LINES]))
    name = chosen.name if chosen else None
    locator, quote = (chosen.locator, chosen.quote) if chosen else (year_locator, year_quote)
    consolidation, consolidation_locator, consolidation_quote = consolidation_of(chosen, document)
    return DocumentRow(
        document_id=document_id,
        source_file=document.source_file,
        department_id=department_key(region, name) if name else None,
        department_name=name,
        department_short_name=short_name(name, region) if name else None,
        parent_department=parent.group("parent") if parent else None,
        province=region[0],
        city=region[1],
        county=region[2],
        adcode=region[4],
        admin_level=region[3],
        fiscal_year=year,
        phase=phase,
        scope=scope,
        printed_unit=None,
        identity_locator=locator,
        identity_quote=quote,
        consolidation=consolidation,
        name_as_printed=chosen.printed if chosen else None,
        year_phase_locator=year_locator,
        year_phase_quote=year_quote,
        consolidation_locator=consolidation_locator,
        consolidation_quote=consolidation_quote,
    )


def consolidation_of(chosen: Candidate | None, document: Document) -> tuple[str, str, str]:
    """(consolidation, locator, quote): the qualifier printed with the name (（本级）, （汇总）), else
    a sentence saying the document's budget is the department's 汇总 (``CONSOLIDATED_STATEMENT_RE``),
    else "" (not stated)."""
    if chosen is None:
        return "", "", ""
    if chosen.consolidation:
        return chosen.consolidation, chosen.locator, chosen.quote
    for line in document.lines:
        text = _without_spaces(line.text)
        if "汇总" in text and CONSOLIDATED_STATEMENT_RE.search(text):  # every such statement says 汇总
            return "consolidated", line.locator, line.text
    return "", "", ""


# -- names ------------------------------------------------------------------------------------------


def _without_spaces(text: str) -> str:
    """``text`` with every whitespace character removed; ``str.split`` knows the same whitespace as
    the regular expressions' class (checked over every code point), and is several times faster."""
    return "".join(text.split())


@lru_cache(maxsize=16384)
def split_name(text: str) -> tuple[str, str, str] | None:
    """(name, printed, consolidation) when ``text`` is a department's name, else None.

    无锡市教育局（本级） → (无锡市教育局, 无锡市教育局（本级）, own_level); 第一部 → None.
    Remembered per text: the same page headers and captions are read on every page.
    """
    printed = _without_spaces(text)
    name, consolidation = printed, ""
    match = QUALIFIER_RE.search(printed)
    if match:
        word = match.group("bracketed") or match.group("bare")
        name, consolidation = printed[: match.start()], QUALIFIERS[word]
    return (name, printed, consolidation) if is_name(name) else None


def is_name(name: str) -> bool:
    """A department's name: name characters only, an organisation suffix, no heading word."""
    if not (NAME_MIN_CHARS <= len(name) <= NAME_MAX_CHARS) or not NAME_CHARS_RE.fullmatch(name):
        return False
    if HEADING_MARK_RE.match(name) or any(word in name for word in NOT_IN_A_NAME):
        return False
    core = ALIAS_RE.sub("", name)  # …研究院（上海市统计数据管理中心）: the alias in brackets
    return core.count("（") == core.count("）") and any(
        core.endswith(suffix) and len(core) > len(suffix) + 1 for suffix in ORG_SUFFIXES
    )


def name_candidates(document: Document) -> Iterator[Candidate]:
    """Every place the document names its publisher: labels, cover and title, headers."""
    yield from _labelled(document)
    cover = cover_lines(document)
    order = {id(line): index for index, line in enumerate(document.lines)}
    yield from _titles(cover, "title", order)
    cover_ids = {id(line) for line in cover}
    yield from _titles([line for line in document.lines if id(line) not in cover_ids], "header", order)


def choose_name(candidates: list[Candidate], warn: Warn) -> Candidate | None:
    """The publisher among the candidates: strongest kind, then most printed; a longer name that
    begins or ends with the winner, printed as a label or title, wins (a wrap cut the shorter one)."""
    if not candidates:
        return None
    candidates = _without_glued_text(_with_region_forms(candidates))
    by_name: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_name.setdefault(candidate.name, []).append(candidate)

    def strength(name: str) -> tuple[int, int, int]:
        found = by_name[name]
        return max(KIND_WEIGHTS[c.kind] for c in found), len(found), len(name)

    ranked = sorted(by_name, key=strength, reverse=True)
    best = ranked[0]
    extended = True
    while extended:  # 中共重庆市委 → 中共重庆市委宣传部, 管理局 → …大鹏管理局: each step printed as a label or title
        longer = [
            n
            for n in by_name
            if n != best and _completes(n, best) and strength(n)[0] >= min(strength(best)[0], KIND_WEIGHTS["title"])
        ]
        extended = bool(longer)
        if longer:
            best = max(longer, key=lambda n: (len(n), strength(n)))
    rivals = [
        n for n in ranked if not best.startswith(n) and not n.startswith(best) and strength(n)[0] >= strength(best)[0]
    ]
    if rivals:
        rival = by_name[rivals[0]][0]
        warn(
            "identity_conflict",
            f"the document also names {rival.printed} ({rival.kind}, {rival.locator}); {best} taken",
            by_name[best][0].locator,
        )
    return _as_printed(by_name[best])


def _with_region_forms(candidates: list[Candidate]) -> list[Candidate]:
    """A name printed without its region (湖州's captions "511-退役军人事务局 单位：万元") is the
    candidate that prints it with one (湖州市退役军人事务局, the cover): counted as that name."""
    names = {c.name for c in candidates}
    full = {}
    for short in names:
        longer = [n for n in names if len(n) > len(short) and n.endswith(short) and is_region_name(n[: -len(short)])]
        if longer:
            full[short] = max(longer, key=len)
    return [_renamed(c, full[c.name]) if c.name in full else c for c in candidates]


def _completes(longer: str, name: str) -> bool:
    """``longer`` is the whole of which ``name`` was cut: it begins with it (中共重庆市委 of
    中共重庆市委宣传部), or ends with it while ``name`` names no region (管理局, the second line of a
    wrapped cover; 昆明市审计局 names one, so a longer name ending with it is a neighbour glued to it)."""
    return longer.startswith(name) or (longer.endswith(name) and resolve_region(name, "")[0] is None)


def _without_glued_text(candidates: list[Candidate]) -> list[Candidate]:
    """A page header glued to the text before it ("…支出78.25万" + "无锡市发展和改革委员会2025年度部门
    预算公开") names, at its end, a name a label or title prints: counted as that name."""
    stated = {c.name for c in candidates if KIND_WEIGHTS[c.kind] >= KIND_WEIGHTS["title"]}
    result = []
    for c in candidates:
        inner = [n for n in stated if c.kind == "header" and n != c.name and c.name.endswith(n)]
        result.append(_renamed(c, max(inner, key=len)) if inner else c)
    return result


def _renamed(candidate: Candidate, name: str) -> Candidate:
    """The candidate counted as ``name``, its qualifier kept."""
    printed = name + candidate.printed[len(candidate.name) :]
    return Candidate(name, printed, candidate.consolidation, candidate.kind, candidate.locator, candidate.quote)


def is_region_name(text: str) -> bool:
    """湖州市, 上海市普陀区, 江苏 (of 江苏省委办公厅): nothing but the names of the regions the
    gazetteer finds in it, in full or without 省/市/区/县."""
    parts = [p for p in resolve_region(text, "")[:3] if p]
    forms = parts + [p[:-1] for p in parts if len(p) > 2 and p.endswith(("省", "市", "区", "县"))]  # 江苏 for 江苏省
    rest, changed = text, True
    while rest and changed:
        changed = False
        for form in forms:
            if rest.startswith(form):
                rest, changed = rest[len(form) :], True
    return bool(text) and not rest


def _as_printed(found: list[Candidate]) -> Candidate:
    """The candidate that says how the document calls itself (``AS_PRINTED_ORDER``), in its most
    printed form."""
    for kind in AS_PRINTED_ORDER:
        of_kind = [c for c in found if c.kind == kind]
        if of_kind:
            printed = Counter(c.printed for c in of_kind).most_common()
            top = max(count for _, count in printed)
            stated = [form for form, count in printed if count == top]
            form = next((f for f in stated if f != of_kind[0].name), stated[0])  # a tie: the qualified form
            return next(c for c in of_kind if c.printed == form)
    return found[0]


def _labelled(document: Document) -> Iterator[Candidate]:
    for line in document.lines:
        for value in label_values(line.text):
            yield from _candidate(value, "label", line.locator, line.text)
    for table in document.tables:
        for row in table.rows[:TABLE_HEAD_ROWS]:
            for index, cell in enumerate(row):
                for value in label_values(cell.text):
                    yield from _candidate(value, "label", cell.locator, cell.text)
                label = CELL_LABEL_MARKS_RE.sub("", cell.text)
                if label in CELL_LABELS and index + 1 < len(row):
                    following = row[index + 1]
                    yield from _candidate(following.text, "label", following.locator, f"{cell.text} {following.text}")


def label_values(text: str) -> Iterator[str]:
    """The names after the labels of one line: "部门名称：杭州市交通运输局单位：万元" → 杭州市交通运输局.

    Spaces between Chinese characters are dropped first: a letter-spaced label ("部 门:中共江苏省委办公厅",
    江苏 2018) is still a label."""
    if "部" not in text and "单" not in text and "发" not in text:
        return  # no label word can be read in it, with or without its spaces
    if WHITESPACE_RE.search(text):
        text = LETTER_SPACING_RE.sub("", text)
    if not any(word in text for word in LABEL_WORDS):
        return
    for match in LABEL_RE.finditer(text):
        before = text[: match.start()].rstrip()
        if before.endswith(OTHER_PARTY_WORDS):
            continue
        if (
            match.group("label") in BARE_LABELS
            and ENDS_IN_HAN_RE.search(before)
            and not before.endswith(BARE_LABEL_AFTER)
        ):
            continue
        if text[match.end() :].lstrip().startswith(LIST_MARKS):  # 东郊国宾馆、西康宾馆: a list of units
            continue
        yield match.group("value")
    caption = CAPTION_NAME_RE.match(text)  # 341-湖州市财政局 单位：万元
    if caption and not LABEL_RE.search(text[: caption.end("name")]):
        yield caption.group("name")


def _candidate(text: str, kind: str, locator: str, quote: str) -> Iterator[Candidate]:
    split = split_name(text)
    if split:
        yield Candidate(*split, kind=kind, locator=locator, quote=quote.strip())


def cover_lines(document: Document) -> list[Line]:
    """The cover: the first page that has text (PDF), the <title> and headings (web page), else
    the first lines."""
    lines = document.lines
    if not lines:
        return []
    page = _page(lines[0].locator)
    if page is not None:
        return [line for line in lines if _page(line.locator) == page]
    headings = [line for line in lines if HEADING_LOCATOR_RE.match(line.locator)]
    return headings or lines[:COVER_LINES]


def _page(locator: str) -> int | None:
    match = PAGE_LOCATOR_RE.match(locator)
    return int(match.group(1)) if match else None


def _titles(lines: list[Line], kind: str, order: dict[int, int]) -> Iterator[Candidate]:
    """Names standing before a 预算/决算 in title-like lines: each line alone, and runs of short
    lines joined (a cover that wraps the name, a name line over "部门预算绩效评价报告")."""
    for text, locator, quote in title_texts(lines, join=kind == "title", order=order):
        seen = set()
        for reading in read_title(text):
            if reading.name and reading.name[1] not in seen:
                seen.add(reading.name[1])
                yield Candidate(*reading.name, kind=kind, locator=locator, quote=quote)


def title_texts(lines: list[Line], join: bool, order: dict[int, int]) -> Iterator[tuple[str, str, str]]:
    """(text, locator, quote) of each title-like line and of each run of them (``join``: the whole
    run; otherwise only a name line followed by the line that carries its 预算/决算). Lines are
    joined only where they follow each other in the document (``order``: line → its index)."""
    run: list[Line] = []
    for index, line in enumerate(lines):
        titled = _is_title_like(line.text)
        if titled:
            for segment in _segments(line.text):
                yield segment, line.locator, line.text
        if (
            not join
            and titled
            and index + 1 < len(lines)
            and split_name(line.text)
            and _adjacent(line, lines[index + 1], order)
        ):
            following = lines[index + 1]
            if _is_title_like(following.text) and TITLE_TAIL_RE.match(following.text.strip()):
                yield line.text.strip() + following.text.strip(), line.locator, f"{line.text} {following.text}"
        if not join:
            continue
        if titled and not HEADING_MARK_RE.match(line.text.strip()) and (not run or _adjacent(run[-1], line, order)):
            run.append(line)
            continue
        yield from _joined(run)
        run = [line] if titled and not HEADING_MARK_RE.match(line.text.strip()) else []
    if join:
        yield from _joined(run)


def _joined(run: list[Line]) -> Iterator[tuple[str, str, str]]:
    if len(run) > 1:
        text = "".join(line.text.strip() for line in run)
        for segment in _segments(text):
            yield segment, run[0].locator, " / ".join(line.text.strip() for line in run)


def _adjacent(previous: Line, line: Line, order: dict[int, int]) -> bool:
    """Two lines of one wrapped title: consecutive lines of a page or of a text (a web page's
    <title> and <h1> are each a whole title)."""
    return (
        order[id(line)] == order[id(previous)] + 1
        and _page(previous.locator) == _page(line.locator)
        and bool(WRAPPABLE_LOCATOR_RE.match(line.locator))
    )


def _is_title_like(text: str) -> bool:
    body = MONEY_CAPTION_RE.split(text)[0] if "单位" in text else text  # every caption says 单位
    return bool(body.strip()) and len(body) <= TITLE_MAX_CHARS and not SENTENCE_RE.search(body)


def _segments(text: str) -> list[str]:
    """A line cut at its money-unit caption and a web page title's site separators."""
    parts = []
    for piece in MONEY_CAPTION_RE.split(text) if "单位" in text else [text]:  # every caption says 单位
        parts.extend(SITE_SEPARATOR_RE.split(piece))
    return [part for part in parts if part.strip()]


def read_title(text: str) -> list[TitleReading]:
    """What a title-like text says at each 预算/决算: "2026年深圳市交通运输局（本级）部门预算" →
    name 深圳市交通运输局 (本级: own_level), 2026, 部门, 预算."""
    return list(_read_title(text))


@lru_cache(maxsize=16384)
def _read_title(text: str) -> tuple[TitleReading, ...]:
    """``read_title``, remembered per text: page headers repeat on every page."""
    compact = _without_spaces(text)
    years = {m.end(): int(m.group(1)) for m in YEAR_TOKEN_RE.finditer(compact)}
    marked = YEAR_TOKEN_RE.sub(lambda m: "|" * len(m.group()), compact)  # a year ends a name
    readings = []
    for match in PHASE_RE.finditer(marked):
        end = match.start()
        scope = marked[end - 2 : end] if marked[end - 2 : end] in ("部门", "单位") else None
        end -= 2 if scope else 0
        end -= 2 if LEVEL_RE.search(marked[:end]) else 0
        year = years.get(end)
        name_end = end
        while name_end > 0 and marked[name_end - 1] == "|":
            name_end -= 1
        start = name_end
        while start > 0 and NAME_CHAR_RE.match(marked[start - 1]):
            start -= 1
        if year is None and start in years:
            year = years[start]
        readings.append(TitleReading(_name_in_run(marked[start:name_end]), year, scope, match.group()))
    return tuple(readings)


def _name_in_run(run: str) -> tuple[str, str, str] | None:
    """The name a run of name characters ends with: the whole run, or what follows its last
    heading word or mark (第二部分上海市…局 → 上海市…局), never a heading glued to a name."""
    split = split_name(run)
    if split:
        return split
    cut = max((run.rfind(word) + len(word) for word in NOT_IN_A_NAME if word in run), default=0)
    mark = HEADING_MARK_RE.match(run)
    cut = max(cut, mark.end() if mark else 0)
    return split_name(run[cut:]) if cut else None


def _from_file_name(source_file: str) -> Candidate | None:
    """The name in the file name: <department>__<title>, 2026-<name>-部门预算, <name>2025部门预算."""
    stem = PurePosixPath(source_file).stem
    for piece in re.split(r"__|[-_—\s]+", stem):
        split = split_name(piece)
        if split is None:
            named = [r.name for r in read_title(piece) if r.name]
            split = named[0] if named else None
        if split:
            return Candidate(*split, kind="file name", locator="file name", quote=source_file)
    return None


# -- year, phase and scope ----------------------------------------------------------------------


def year_phase(document: Document) -> tuple[int | None, str | None, str | None, str, str]:
    """(year, phase, scope, locator, quote): the cover title, then the short lines of the first
    pages, then the file name, then any line."""
    found = _from_cover(document)
    if found:
        return found
    head = document.lines[:HEAD_LINES]
    # title-like lines first (a long sentence may mention another scope: "纳入…单位决算编制范围")
    short = [
        (line.text, line.locator)
        for line in head
        if len(line.text) <= SHORT_LINE_CHARS and not line.text.rstrip().endswith(("。", "；", "：", ":"))
    ]
    sources = short + [(document.source_file, "file name")] + [(line.text, line.locator) for line in head]
    for text, locator in sources[: len(short)]:
        match = YEAR_PHASE_RE.search(text.replace(" ", ""))
        if match:
            return int(match.group("year")), _phase(match.group("phase")), _scope(match.group("scope")), locator, text
    for line in document.lines:  # a table-only file: "2019年政府采购预算表"
        match = TABLE_YEAR_PHASE_RE.search(_without_spaces(line.text)) if _is_title_like(line.text) else None
        if match:
            return int(match.group("year")), _phase(match.group("phase")), "department", line.locator, line.text
    for text, locator in sources[len(short) :]:
        match = YEAR_PHASE_RE.search(text.replace(" ", ""))
        if match:
            quote = document.source_file if locator == "file name" else text
            return int(match.group("year")), _phase(match.group("phase")), _scope(match.group("scope")), locator, quote
    year = re.search(r"20\d{2}", document.source_file)
    phase = PHASE_ONLY_RE.search(document.source_file)
    return (
        int(year.group()) if year else None,
        _phase(phase.group("phase")) if phase else None,
        _scope(phase.group("scope")) if phase else None,
        "file name",
        document.source_file,
    )


def _from_cover(document: Document) -> tuple[int, str, str, str, str] | None:
    """The cover's title: the reading that names the publisher, else the first with a year."""
    readings = []
    order = {id(line): index for index, line in enumerate(document.lines)}
    for text, locator, quote in title_texts(cover_lines(document), join=True, order=order):
        readings += [(reading, locator, quote) for reading in read_title(text)]
    dated = [(r.year, r, locator, quote) for r, locator, quote in readings if r.year is not None]
    named = [entry for entry in dated if entry[1].name]
    if not dated:
        return None
    year, reading, locator, quote = (named or dated)[0]
    scope = reading.scope or next((r.scope for r, _, _ in readings if r.scope), None)
    return year, _phase(reading.phase), _scope(scope), locator, quote


def _phase(word: str) -> str:
    return "final" if word == "决算" else "budget"


def _scope(word: str | None) -> str:
    return "unit" if word == "单位" else "department"


# -- region and keys ------------------------------------------------------------------------------


Region = tuple  # (province, city, county, admin_level, adcode)
CENTRAL_REGION: Region = (None, None, None, "central", CENTRAL_ADCODE)
NO_REGION: Region = (None, None, None, None, None)


def region_of(name: str | None, document: Document, candidates: Iterable[Candidate]) -> tuple[Region, str]:
    """(region, where it was read): the name, a central name, the document's other naming lines,
    a ministry's name, the file path."""
    if name:
        region = resolve_region(name, "")
        if region[0]:
            return region, "name"
        if name.startswith(CENTRAL_PREFIXES):
            return CENTRAL_REGION, "name"
    texts = [c.name for c in candidates if c.name != name] + [line.text for line in cover_lines(document)]
    for text in texts:
        region = resolve_region(text, "")
        if region[0]:
            return region, "content"
    if name and name.endswith(MINISTRY_SUFFIX):
        return CENTRAL_REGION, "name"
    region = resolve_region("", document.source_file)
    return (region, "file name") if region[0] else (NO_REGION, "")


def short_name(name: str, region: tuple) -> str:
    """The name without its region prefix and 人民政府…办事处 wrapping: 万里街道, 财政局.

    Only the region names the gazetteer found are stripped (上海市, 普陀区, 遂宁市 …), so a
    name such as 社区事务受理服务中心 keeps its own 区. The party's prefix is read in its short form
    and set aside first (中国共产党江苏省委员会办公厅, 中共江苏省委办公厅, 江苏省委办公厅: 省委办公厅),
    so that the three ways one office is printed give one key.
    """
    name = _party_short_form(name, region)
    prefixes = [p for p in region[:3] if p]
    short, changed = name, True
    while changed:
        changed = False
        for prefix in prefixes:
            if short.startswith(prefix) and len(short) > len(prefix):
                short, changed = short[len(prefix) :], True
    short = re.sub(r"^人民政府(?=.+(?:街道|镇|乡)(?:办事处)?$)", "", short)
    # 江苏省委办公厅 is the 省委's office: stripping 江苏省 must not leave a bare 委办公厅
    stripped = name[: len(name) - len(short)]
    if short.startswith("委") and stripped[-1:] in ("省", "市", "区", "县"):
        short = stripped[-1] + short
    short = re.sub(r"(街道|镇|乡)办事处$", r"\1", short)
    return short or name


def _party_short_form(name: str, region: tuple) -> str:
    """中国共产党江苏省委员会办公厅 → 江苏省委办公厅; 中共重庆市委宣传部 → 重庆市委宣传部 (a region follows)."""
    for prefix in PARTY_PREFIXES:
        rest = name[len(prefix) :]
        if name.startswith(prefix) and any(p and rest.startswith(p) for p in region[:3]):
            return re.sub(r"^(.+?[省市区县])委员会", r"\1委", rest)
    return name


def department_key(region: tuple, name: str) -> str:
    """A stable id: the region's 6-digit adcode and the short name, e.g. 310107-财政局."""
    return f"{region[4] or '000000'}-{short_name(name, region)}"


@lru_cache(maxsize=4096)
def resolve_region(name: str, source_file: str) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(province, city, county, admin_level, adcode) from the gazetteer."""
    row = gazetteer_record(name or PurePosixPath(source_file).stem)

    def value(key: str) -> str | None:
        v = row.get(key)
        return None if v is None or (isinstance(v, float)) or str(v) in ("", "nan", "None") else str(v)

    province, city, county, adcode = value("省"), value("市"), value("区"), value("adcode")
    if province is None:
        return None, None, None, None, None
    if city == "市辖区" or (city is None and province.endswith(MUNICIPALITY_SUFFIX)):
        city = province  # a municipality (上海市, 重庆市) is its own city, whether a district is named or not
    level = "county" if county else ("city" if city and city != province else "province")
    return province, city, county, level, adcode


def gazetteer_record(text: str) -> dict:
    """cpca's reading of one text: {省, 市, 区, 地址, adcode}.

    ``cpca.transform`` reads each text with ``_get_one_addr`` and wraps the records in a pandas
    DataFrame; building that frame took 2 ms a call, 300 times the reading, and a department's
    first document asks it several times. The record is taken as ``transform`` makes it (the
    same values, tests/ingest/test_gazetteer_record.py), through ``transform`` when a cpca
    version has no such function.
    """
    import cpca  # imported lazily: it loads the national division table

    read_one = getattr(cpca, "_get_one_addr", None)
    if read_one is None:
        return cpca.transform([text]).iloc[0].to_dict()
    return read_one(text, False, {})
