"""Who published a disclosure, for which year, and whether it is a 决算 or a 预算.

The department name comes from what the document labels (预算主管部门：…, 编制部门：…),
else from its title lines, else from the file name. The region is resolved with the
``cpca`` gazetteer (national administrative divisions, MIT licence), never a hand list.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from ingest.document import Document
from ingest.records import DocumentRow

LABELLED_NAME_RE = re.compile(r"(?:预算主管部门|编制部门|编制单位|单位名称|部门名称|发布机构)\s*[:：]\s*(?P<name>[\u4e00-\u9fff（）()]{4,40})")
YEAR_PHASE_RE = re.compile(r"(?P<year>20\d{2})\s*年?\s*度?\s*(?:区级|市级|省级|县级)?\s*(?P<scope>部门|单位)?\s*(?P<phase>决算|预算)")
PHASE_ONLY_RE = re.compile(r"(?P<scope>部门|单位)?(?P<phase>决算|预算)")
PARENT_RE = re.compile(r"(?:我局|我单位|本单位|我中心|我部门)?为(?P<parent>[\u4e00-\u9fff]{2,12}?)(?:下属|所属|管理的)(?:二级|的)?")
ORG_SUFFIX = (
    "办公厅", "办公室", "委员会", "检察院", "法院", "街道办事处", "办事处", "街道", "管理局", "事业局", "局", "厅",
    "委", "院", "中心", "所", "会", "馆", "站", "队", "处", "部", "镇", "乡",
)
NOISE_RE = re.compile(r"20\d{2}\s*年?度?|部门|单位|决算|预算|公开|文件|表格|表|（.*?）|\(.*?\)|[\s_\-—–·.]|pdf|txt|docx?|xlsx?|html?", re.I)


def identify(document: Document, document_id: str) -> DocumentRow:
    head = document.lines[:80]
    head_text = "\n".join(line.text for line in head)
    name, locator, quote = _department_name(document, head)
    year, phase, scope, year_locator = _year_phase(document, head)
    region = resolve_region(name or "", document.source_file)
    parent = PARENT_RE.search(head_text)
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
        identity_locator=locator or year_locator,
        identity_quote=quote,
    )


def _department_name(document: Document, head) -> tuple[str | None, str, str]:
    stem = PurePosixPath(document.source_file).stem
    if "__" in stem:  # <department>__<title>: the collector named the department, the same every year
        named = _name_from_text(stem.split("__")[0])
        if named:
            return named, "file name", document.source_file
    for line in head:
        m = LABELLED_NAME_RE.search(line.text)
        if m:
            return _clean_name(m.group("name")), line.locator, line.text
    stem = PurePosixPath(document.source_file).stem
    from_file = _name_from_text(stem.split("__")[0] if "__" in stem else stem)
    if from_file:
        return from_file, "file name", document.source_file
    for line in head[:10]:
        candidate = _name_from_text(line.text)
        if candidate:
            return candidate, line.locator, line.text
    return None, "", ""


def _name_from_text(text: str) -> str | None:
    cleaned = NOISE_RE.sub("", text)
    for suffix in ORG_SUFFIX:
        index = cleaned.rfind(suffix)
        if index > 0:
            return cleaned[: index + len(suffix)]
    return None


def _clean_name(name: str) -> str:
    return re.sub(r"[（(](本级|部门|单位|本部)[）)]$", "", name.strip())


def _year_phase(document: Document, head) -> tuple[int | None, str | None, str | None, str]:
    # title-like lines first (a long sentence may mention another scope: "纳入…单位决算编制范围"),
    # then the file name, then any line
    short = [
        (line.text, line.locator)
        for line in head[:40]
        if len(line.text) <= 40 and not line.text.rstrip().endswith(("。", "；", "：", ":"))
    ]
    sources = short + [(document.source_file, "file name")] + [(line.text, line.locator) for line in head[:40]]
    for text, locator in sources:
        m = YEAR_PHASE_RE.search(text.replace(" ", ""))
        if m:
            return int(m.group("year")), _phase(m.group("phase")), _scope(m.group("scope")), locator
    year = re.search(r"20\d{2}", document.source_file)
    phase = PHASE_ONLY_RE.search(document.source_file)
    return (
        int(year.group()) if year else None,
        _phase(phase.group("phase")) if phase else None,
        _scope(phase.group("scope")) if phase else None,
        "file name",
    )


def _phase(word: str) -> str:
    return "final" if word == "决算" else "budget"


def _scope(word: str | None) -> str:
    return "unit" if word == "单位" else "department"


def short_name(name: str, region: tuple) -> str:
    """The name without its region prefix and 人民政府…办事处 wrapping: 万里街道, 财政局.

    Only the region names the gazetteer found are stripped (上海市, 普陀区, 遂宁市 …), so a
    name such as 社区事务受理服务中心 keeps its own 区.
    """
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


def department_key(region: tuple, name: str) -> str:
    """A stable id: the region's 6-digit adcode and the short name, e.g. 310107-财政局."""
    return f"{region[4] or '000000'}-{short_name(name, region)}"


@lru_cache(maxsize=4096)
def resolve_region(name: str, source_file: str) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(province, city, county, admin_level, adcode) from the gazetteer."""
    import cpca  # imported lazily: it loads pandas and the national division table

    text = name or PurePosixPath(source_file).stem
    frame = cpca.transform([text])
    row = frame.iloc[0]

    def value(key: str) -> str | None:
        v = row.get(key)
        return None if v is None or (isinstance(v, float)) or str(v) in ("", "nan", "None") else str(v)

    province, city, county, adcode = value("省"), value("市"), value("区"), value("adcode")
    if province is None:
        return None, None, None, None, None
    if city == "市辖区":
        city = province
    level = "county" if county else ("city" if city and city != province else "province")
    return province, city, county, level, adcode
