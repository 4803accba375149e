"""Figures stated in the narrative (情况说明) of a 决算 or 预算 disclosure.

Each section is read with the clause grammar of ``clauses.py`` and a keyword list that
names the subjects the section talks about. The 具体情况 items (one per 类/款/项 line) and
the 结构情况 (one per 类) become function lines; the rest become figures.
"""

from __future__ import annotations

import re

from ingest.classification import resolve_function
from ingest.document import Line
from ingest.extraction import Extraction
from ingest.extractors.clauses import (
    Subject,
    Token,
    clauses,
    find_subject,
    is_continuation,
    sentences,
    stated_reason,
    tokens,
)
from ingest.extractors.function_lines import add_function_line
from ingest.extractors.passages import Passage, split_sections, whole_text

MONEY_UNITS = ("亿元", "万元", "元", "")


def _kw(*pairs: tuple[str, str]) -> list[tuple[str, Subject]]:
    return [(pattern, Subject(metric)) for pattern, metric in pairs]


SECTION_SUBJECTS: dict[str, list[tuple[str, Subject]]] = {
    "overview": _kw((r"收[、入]?\s*支(?:出)?\s*总计|收支总计", "grand_total")),
    "income": _kw((r"(?:本年)?收入合计", "income_total")),
    "expenditure": _kw(
        (r"(?:本年)?支出合计", "expenditure_total"),
        (r"基本支出", "basic_expenditure"),
        (r"项目支出", "project_expenditure"),
    ),
    "fiscal_grant_total": _kw((r"财政拨款收[、入]?\s*支(?:出)?\s*总计|收[、入]?\s*支(?:出)?\s*总计", "fiscal_grant_grand_total")),
    "gpb_total": _kw((r"一般公共预算(?:财政拨款)?支出", "gpb_expenditure")),
    "gpb_detail": _kw((r"一般公共预算(?:财政拨款)?支出", "gpb_expenditure")),
    "basic": _kw(
        (r"基本支出", "gpb_basic_expenditure"),
        (r"人员经费", "personnel_expenditure"),
        (r"公用经费", "public_expenditure"),
    ),
    "sangong": _kw(
        (r"三公", "sangong_total"),
        (r"因公出国|出国（境）", "sangong_abroad"),
        (r"公务用车购置及运行", "sangong_vehicle"),
        (r"公务用车购置(?:费|支出)", "sangong_vehicle_purchase"),
        (r"公务用车运行", "sangong_vehicle_operation"),
        (r"公务接待", "sangong_reception"),
        (r"国内公务接待", "sangong_reception_domestic"),
        (r"外事接待", "sangong_reception_foreign"),
        (r"更新购置公务用车|购置公务用车", "vehicles_purchased"),
        (r"共有公务用车|公务用车保有", "vehicles_held"),
    ),
    "government_fund": _kw((r"政府性基金", "government_fund_expenditure")),
    "state_capital": _kw((r"国有资本经营", "state_capital_expenditure")),
    "operating_cost": _kw((r"机关运行经费", "operating_cost")),
    "procurement": _kw(
        (r"政府采购(?:支出|金额)?(?:总额|金额)", "procurement_total"),
        (r"货物", "procurement_goods"),
        (r"工程", "procurement_works"),
        (r"服务", "procurement_services"),
        (r"中小企业", "procurement_sme"),
        (r"小微企业", "procurement_small_micro"),
    )
    + [
        (r"面向中小企业预留", Subject("procurement_sme", "预留")),
        (r"面向小微企业预留", Subject("procurement_small_micro", "预留")),
        (r"其他政府采购项目", Subject("procurement_sme", "其他项目")),
    ],
    "assets": _kw(
        (r"共有车辆|车辆", "vehicles_total"),
        (r"设备", "equipment_over_1m"),
    )
    + [
        (kind, Subject("vehicles_by_kind", kind))
        for kind in (
            "部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车",
            "执法执勤用车", "特种专业技术用车", "离退休干部用车", "其他用车",
        )
    ],
    "performance": _kw(
        (r"事前绩效评估", "performance_prior_assessment"),
        (r"绩效目标", "performance_targets"),
        (r"绩效监控|绩效跟踪|跟踪评价", "performance_monitoring"),
        (r"绩效自评", "performance_self_evaluation"),
    )
    + [(f"评级为.?{grade}", Subject("performance_rating", grade)) for grade in ("优", "良", "合格", "不合格")]
    + [
        (r"发现问题", Subject("performance_issues", "发现")),
        (r"完成整改", Subject("performance_issues", "已整改")),
        (r"正在整改", Subject("performance_issues", "整改中")),
    ],
    # 预算编制说明: "收入预算18,976.76万元，其中：财政拨款收入18,976.76万元，比2024年预算增加…；事业收入0.00万元"
    "budget_explanation": _kw(
        (r"收[、入]?\s*支(?:出)?\s*预算总计", "grand_total"),
        (r"收入预算", "income_total"),
        (r"支出预算", "expenditure_total"),
        (r"财政拨款支出", "fiscal_grant_expenditure_total"),
        (r"一般公共预算(?:拨款)?支出", "gpb_expenditure"),
        (r"政府性基金(?:预算)?(?:拨款)?支出", "government_fund_expenditure"),
        (r"国有资本经营预算(?:拨款)?支出", "state_capital_expenditure"),
        (r"基本支出", "basic_expenditure"),
        (r"项目支出", "project_expenditure"),
    )
    + [
        (source, Subject("income_by_source", source))
        for source in ("财政拨款收入", "事业收入", "事业单位经营收入", "其他收入")
    ],
}

# sections read item by item by their own extractor (the generic scan reads their preamble)
ITEMISED_SECTIONS = {"gpb_detail"}
# words that open a clause about a kind of the current subject: "其中：轿车2辆、越野车1辆"
KIND_WORDS = ("轿车", "越野车", "载客汽车", "其他车辆", "小型载客汽车", "大型载客汽车")
# measures a section's generic scan leaves to a dedicated extractor
SKIPPED_MEASURES = {"performance": {"score"}}
# sections whose lists are separated by 、 as well as by commas
LIST_SECTIONS = {"procurement", "assets", "sangong"}
# label mode: a clause without a known subject is measured under its own printed label
LABEL_METRICS = {"income": "income_by_source", "expenditure": "expenditure_by_nature"}

ITEM_PATH_RE = re.compile(
    r"(?P<path>[\u4e00-\u9fff]{2,30}（类）\s*[\u4e00-\u9fff、]{2,40}?（款）\s*"
    r"[\u4e00-\u9fff]{2,40}?(?:（项）|(?=\s*[:：。，,]|\s*支出决算)))"
)
SCORE_RE = re.compile(r"(?:“(?P<name>[^”]{2,40})”)?(?P<pre>[^“”。；]{0,40}?)自评得分(?:为)?\s*(?P<num>\d+(?:\.\d+)?)\s*分")
AVERAGE_SCORE_RE = re.compile(r"平均得分\s*(?P<num>\d+(?:\.\d+)?)\s*分")
STAFF_RE = re.compile(r"(?P<kind>行政|事业(?:人员)?|工勤(?:人员)?|参公|参照公务员法管理)编制\s*(?P<num>\d+)\s*(?:人|名)")
STAFF_TOTAL_RE = re.compile(r"编制(?:人数|数)(?:为|共)?\s*(?P<num>\d+)\s*(?:人|名)")
STAFF_ACTUAL_RE = re.compile(r"实有人数(?:为)?\s*(?P<num>\d+)\s*(?:人|名)")
COMPONENTS_RE = re.compile(r"(?P<what>人员经费|公用经费)[^。；]{0,30}?主要包括[:：]\s*(?P<list>[^。；]+)")


def extract_narrative(extraction: Extraction, lines: list[Line], year: int | None) -> None:
    headings: list[tuple[str, Line]] = []
    sections = split_sections(lines, headings)
    for name, line in headings:
        if sections[name].text or name == "glossary":
            extraction.mark_section("narrative", name, line.text, line.locator)
    for name, passage in sections.items():
        if name in SECTION_SUBJECTS and name not in ITEMISED_SECTIONS:
            scan_section(extraction, passage, name)
    if "gpb_structure" in sections:
        extract_class_shares(extraction, sections["gpb_structure"], year)
    if "gpb_detail" in sections:
        extract_detail_items(extraction, sections["gpb_detail"], year)
    if "basic" in sections:
        extract_components(extraction, sections["basic"])
    if "performance" in sections:
        extract_scores(extraction, sections["performance"])
    extract_staffing(extraction, whole_text(lines))


def scan_section(extraction: Extraction, passage: Passage, section: str, text: str | None = None) -> None:
    """Every sentence of a section, clause by clause, subject by subject."""
    keywords = SECTION_SUBJECTS[section]
    separators = "、" if section in LIST_SECTIONS else ""
    label_metric = LABEL_METRICS.get(section)
    current: Subject | None = None
    source = passage.text if text is None else text
    for s_offset, sentence in sentences(source):
        for c_offset, clause in clauses(sentence, separators):
            if not is_continuation(clause):
                subject = find_subject(clause, keywords)
                if subject is None and label_metric:
                    subject = _label_subject(clause, label_metric)
                if subject is None and current is not None:
                    subject = _kind_of(current, clause)
                if subject is not None:
                    current = subject
            if current is None:
                continue
            skipped = SKIPPED_MEASURES.get(section, set())
            found = [t for t in tokens(clause, s_offset + c_offset) if t.measure not in skipped]
            for token in found:
                emit(extraction, passage, section, current, token)
            if not found and "持平" in clause and re.search(r"(与|较|比)\s*(上年|上一年|\d{4}\s*年)", sentence):
                _flat_change(extraction, passage, section, current, s_offset + c_offset)
        reason = stated_reason(sentence)
        if reason and current is not None:
            extraction.reason(
                section=section, metric=current.metric, qualifier=current.qualifier, text=reason,
                locator=passage.locator_at(s_offset), quote=sentence.strip(),
            )


def emit(extraction: Extraction, passage: Passage, section: str, subject: Subject, token: Token) -> None:
    locator = passage.locator_at(token.start)
    quote = passage.quote(token.start, token.start + len(token.printed))
    common = dict(section=section, metric=subject.metric, qualifier=subject.qualifier, locator=locator, quote=quote)
    if token.unit in MONEY_UNITS and token.measure not in ("share_pct", "completion_pct", "change_pct"):
        extraction.money(
            printed_value=token.printed, printed_unit=token.unit, assumed_unit="万元",
            measure=token.measure, negative=token.value < 0, **common,
        )
    else:
        extraction.quantity(
            printed_value=token.printed, unit=token.unit, measure=token.measure, negative=token.value < 0, **common
        )


def _flat_change(extraction: Extraction, passage: Passage, section: str, subject: Subject, offset: int) -> None:
    extraction.money(
        section=section, metric=subject.metric, qualifier=subject.qualifier, measure="change_amount",
        printed_value="0", printed_unit="万元", locator=passage.locator_at(offset),
        quote=passage.quote(offset, offset + 1),
    )
    extraction.figures[-1].printed_value = "持平"


def _kind_of(current: Subject, clause: str) -> Subject | None:
    """ "轿车2辆" after "共有公务用车5辆，其中：" is the 轿车 part of the same metric."""
    stripped = clause.strip()
    kind = next((word for word in KIND_WORDS if stripped.startswith(word)), None)
    return Subject(current.metric, kind) if kind else None


def _label_subject(clause: str, metric: str) -> Subject | None:
    m = re.match(r"\s*(?:\d{4}\s*年度?)?\s*(?P<label>[^\d，,：:]{2,30}?)\s*(?:为|是)?\s*[-\d]", clause)
    if not m:
        return None
    label = m.group("label").strip("：: ")
    return Subject(metric, label) if label else None


def extract_class_shares(extraction: Extraction, passage: Passage, year: int | None) -> None:
    """一般公共预算财政拨款支出决算结构: "社会保障和就业支出1,668.75万元，占96.59%" → 类 lines."""
    for s_offset, sentence in sentences(passage.text):
        for c_offset, clause in clauses(sentence):
            label = _label_subject(clause.split("方面")[-1].lstrip(":："), "class")
            found = [t for t in tokens(clause, s_offset + c_offset) if t.measure == "amount"]
            if label is None or not found:
                continue
            match = resolve_function(label.qualifier, year=year)
            if match.level != "类":
                continue
            rest = sentence[c_offset + len(clause) :]
            share = next((t for t in tokens(rest.split("；")[0].split(";")[0]) if t.measure == "share_pct"), None)
            token = found[0]
            add_function_line(
                extraction, statement="narrative", basis="general_budget", printed_code="",
                raw_label=label.qualifier, match=match, amount_printed=token.printed, unit=token.unit or "万元",
                share_pct=share.value if share else None,
                locator=passage.locator_at(token.start), quote=passage.quote(token.start, token.start + 1),
            )


def extract_detail_items(extraction: Extraction, passage: Passage, year: int | None) -> None:
    """具体情况: one item per 类（类）款（款）项（项） path, with 决算数, 预算数, 完成率 and reason."""
    text = passage.text
    items = list(ITEM_PATH_RE.finditer(text))
    if items:
        scan_section(extraction, passage, "gpb_detail", text=text[: items[0].start()])
    for index, item in enumerate(items):
        end = items[index + 1].start() if index + 1 < len(items) else len(text)
        body = text[item.end() : end]
        path = item.group("path").strip()
        match = resolve_function(path, year=year)
        amount = re.search(r"(?:支出)?决算(?:数)?为\s*(?P<num>[\d,，.]+)\s*(?P<unit>万元|元)?", body)
        budget = re.search(r"(?:年初|调整后)?预算(?:数)?为\s*(?P<num>[\d,，.]+)\s*(?P<unit>万元|元)?", body)
        completion = re.search(r"完成(?:年初)?(?:调整)?预算(?:的)?\s*(?P<num>[\d.]+)\s*[%％]", body)
        reason = stated_reason(body) or ""
        if amount is None:
            extraction.warn("item_without_amount", f"no 决算数 found for {path}", passage.locator_at(item.start()))
            continue
        add_function_line(
            extraction, statement="narrative", basis="general_budget", printed_code="", raw_label=path,
            match=match, amount_printed=amount.group("num"), unit=amount.group("unit") or "万元",
            budget_printed=budget.group("num") if budget else None,
            completion_printed=completion.group("num") if completion else None,
            reason=reason, locator=passage.locator_at(item.start()),
            quote=(path + body).strip()[:300],
        )


def extract_components(extraction: Extraction, passage: Passage) -> None:
    for m in COMPONENTS_RE.finditer(passage.text):
        metric = "personnel_expenditure" if m.group("what") == "人员经费" else "public_expenditure"
        extraction._add_figure(
            "basic", metric, "", "components", None, "text", "", "", m.group("list").strip("等 "),
            passage.locator_at(m.start()), m.group().strip(),
        )


def extract_scores(extraction: Extraction, passage: Passage) -> None:
    """自评得分: the department as a whole, each named project, and stated averages."""
    for m in SCORE_RE.finditer(passage.text):
        whole = "部门整体" in (m.group("pre") or "") or "整体" in (m.group("name") or "")
        metric = "department_self_score" if whole else "project_self_score"
        qualifier = "" if whole else (m.group("name") or "").strip()
        extraction.quantity(
            section="performance", metric=metric, qualifier=qualifier, measure="score",
            printed_value=m.group("num"), unit="分", locator=passage.locator_at(m.start("num")),
            quote=passage.quote(m.start("num"), m.end("num")),
        )
    for m in AVERAGE_SCORE_RE.finditer(passage.text):
        extraction.quantity(
            section="performance", metric="performance_average_score", measure="score",
            printed_value=m.group("num"), unit="分", locator=passage.locator_at(m.start("num")),
            quote=passage.quote(m.start("num"), m.end("num")),
        )


def extract_staffing(extraction: Extraction, passage: Passage) -> None:
    """编制 by kind and 实有人数, wherever the document states them."""
    patterns = ((STAFF_RE, "staff_authorized"), (STAFF_TOTAL_RE, "staff_authorized"), (STAFF_ACTUAL_RE, "staff_actual"))
    for pattern, metric in patterns:
        for m in pattern.finditer(passage.text):
            kind = m.groupdict().get("kind") or ""
            qualifier = {"事业人员": "事业", "工勤人员": "工勤", "参照公务员法管理": "参公"}.get(kind, kind)
            extraction.quantity(
                section="staffing", metric=metric, qualifier=qualifier, measure="count", printed_value=m.group("num"),
                unit="人", locator=passage.locator_at(m.start("num")), quote=passage.quote(m.start("num"), m.end("num")),
            )
