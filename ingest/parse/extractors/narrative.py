"""Figures stated in the narrative (情况说明) of a 决算 or 预算 disclosure.

Each section is read with the clause grammar of ``clauses.py`` and a keyword list that
names the subjects the section talks about. The 具体情况 items (one per 类/款/项 line) and
the 结构情况 (one per 类) become function lines; the rest become figures.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache, lru_cache

from ingest.parse.amounts import format_decimal, money_units, parse_number, to_wan
from ingest.parse.classification import resolve_function
from ingest.parse.document import Line
from ingest.parse.extraction import Extraction
from ingest.parse.extractors.clauses import (
    DECREASE,
    INCREASE,
    REASON_RE,
    Keywords,
    Subject,
    Token,
    clauses,
    find_subject,
    glued_run,
    is_continuation,
    keywords,
    names_none,
    sentences,
    stated_reason,
    states_a_reason,
    tokens,
)
from ingest.parse.extractors.function_lines import add_function_line
from ingest.parse.extractors.passages import Passage, split_sections, whole_text
from ingest.parse.vocabulary import Label, label_contexts, labels


def _section_subjects() -> dict[str, Keywords]:
    """Per narrative section, (pattern, subject) pairs: the ``narrative:<section>`` labels of the
    vocabulary (seeds/ref_label.csv), e.g. 预算编制说明's "收入预算" → income_total."""
    subjects: dict[str, Keywords] = {}
    for context in label_contexts():
        if context.startswith("narrative:"):
            subjects[context.split(":", 1)[1]] = keywords(
                (label.pattern, Subject(label.target, label.qualifier)) for label in labels(context)
            )
    return subjects


SECTION_SUBJECTS: dict[str, Keywords] = _section_subjects()

# sections read item by item by their own extractor (the generic scan reads their preamble)
ITEMISED_SECTIONS = {"gpb_detail"}
# words that open a clause about a kind of the current subject: "其中：轿车2辆、越野车1辆"
KIND_WORDS = ("轿车", "越野车", "载客汽车", "其他车辆", "小型载客汽车", "大型载客汽车")
# measures a section's generic scan leaves to a dedicated extractor: scores (分) are read by
# extract_scores from the 绩效 section only, never under another section's subjects
SKIPPED_MEASURES = {"performance": {"score"}}
SKIPPED_EVERYWHERE = {"score"}
# sections whose lists are separated by 、 as well as by commas
LIST_SECTIONS = {"procurement", "assets", "sangong"}
# label mode: a clause without a known subject is measured under its own printed label
LABEL_METRICS = {"income": "income_by_source", "expenditure": "expenditure_by_nature"}
# ... unless the label names the other side: "项目支出" is no income source, wherever it is printed
LABEL_REFUSED = {"income_by_source": "支出", "expenditure_by_nature": "收入"}
# ... or when it is no name: a total, or a change ("财政拨款收、支总计各增加542.05万元")
NOT_A_LABEL = ("总计", "合计", *INCREASE, *DECREASE)
# a clause listing what the subject is used for: its numbers are those of the uses
USES_RE = re.compile(r"^\s*(?:主要用于|具体包括|主要包括)")
# a clause after 其中 (or after "…支出决算中，") names a part; where a stated reason starts
BREAKDOWN_RE = re.compile(r"(?:其中\s*[:：]?|决算中\s*[，,]|支出中\s*[，,])\s*$")
REASON_START_RE = re.compile(r"(?:主要(?:变动)?原因|原因主要|原因)\s*(?:是|为|系|[:：])|主要(?:是|系|由于|因为)")
# the next numbered 具体情况 item, after the sentence that ends one: "…等于预算数。3.社会保障…"
NEXT_ITEM_RE = re.compile(r"[。；]\s*\d{1,2}\s*[.、．](?!\d)")
LABEL_WORDS_RE = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff（）()、]*")

# one character of a 类/款/项 name: Han, 、, or a bracketed part of the name itself such as
# 政府办公厅（室）, 中医（民族）医院, 因公出国（境） — any bracket but the level markers and
# list numbering such as （一）
NAME_CHAR = r"(?:[\u4e00-\u9fff、]|（(?![类款项]）)(?![一二三四五六七八九十]+）)[\u4e00-\u9fff]{1,8}）)"
ITEM_PATH_RE = re.compile(
    rf"(?P<path>{NAME_CHAR}{{2,30}}（类）\s*{NAME_CHAR}{{2,40}}?（款）\s*"
    rf"{NAME_CHAR}{{2,40}}?(?:（项）|(?=\s*[:：。，,]|\s*支出决算)))"
)
SCORE_RE = re.compile(
    r"(?:“(?P<name>[^”]{2,40})”)?(?P<pre>[^“”。；]{0,40}?)自评得分(?:为)?\s*(?P<num>\d+(?:\.\d+)?)\s*分"
)
AVERAGE_SCORE_RE = re.compile(r"平均得分\s*(?P<num>\d+(?:\.\d+)?)\s*分")
STAFF_RE = re.compile(
    r"(?P<kind>行政|事业(?:人员)?|工勤(?:人员)?|参公|参照公务员法管理)编制\s*(?P<num>\d+)\s*(?:人|名)"
)
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
    if "budget_explanation" in sections:
        extract_class_listing(extraction, sections["budget_explanation"], year)
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
    skipped = SKIPPED_MEASURES.get(section, set()) | SKIPPED_EVERYWHERE
    reads_items = section not in ITEMISED_SECTIONS
    current: Subject | None = None
    source = passage.text if text is None else text
    breakdown: Subject | None = None  # the whole whose parts a "其中：…；…" enumeration names
    for s_offset, sentence in sentences(source):
        reason_of: Subject | None = None  # the subject named where the sentence states its reason
        # a sentence that opens with neither a subject nor a continuation ("占…", "与上年相比…")
        # does not state numbers of the subject before it: "教育支出0万元，占0%" printed under a
        # lost heading is no 一般公共预算财政拨款支出 (its reason, if any, still belongs to it)
        named = False
        # where the sentence's first 类/款/项 mark ends: a clause up to there names an item
        item_mark = ITEM_MARK_RE.search(sentence)
        item_mark_end = item_mark.end() if item_mark else len(sentence) + 1
        for index, (c_offset, clause) in enumerate(clauses(sentence, separators)):
            clause_whole = None
            if item_mark_end <= c_offset + len(clause) and reads_items:
                # "（3）其他支出（类）…（款）…（项）预算为10,493.00万元": an item of the section, not its total
                current, named = None, False
                continue
            continuation = is_continuation(clause)
            if not continuation:
                subject = find_subject(clause, keywords)
                if subject is None and label_metric:
                    subject = _label_subject(clause, label_metric)
                    if subject is None and _printed_label(clause):
                        named = False  # a label this section does not measure ("项目支出" among incomes)
                if subject is None and current is not None and named:
                    subject = _kind_of(current, clause)
                if subject is not None and subject.metric == "":  # named, but no metric of ours (财政拨款基本支出)
                    current, named = None, False
                    continue
                whole = (
                    current
                    if current is not None and (named or index == 0) and _opens_breakdown(sentence, c_offset, clause)
                    else breakdown
                    if index == 0
                    else None
                )
                clause_whole = whole
                if subject is not None and whole is not None:
                    breakdown = whole
                    subject = part_of(whole, subject)
                    if subject is None:  # a part no metric names (财政拨款's 项目支出): not the subject's
                        named = False
                        continue
                if subject is not None:
                    current, named = subject, True
                elif index == 0 and _printed_label(clause) and not (current and _kind_of(current, clause)):
                    # "…财政拨款收、支总预算3,210.1万元": a figure of something this section does not measure;
                    # what follows ("与上年相比…增加242.3万元") is about it, not the subject before
                    current, named = None, False
                elif _breaks_down(sentence, c_offset) or _names_something(clause):
                    # "其中：人员��费1,510.37万元" is a part of the subject; "因公出图（境）费支出决算0万元"
                    # (a word damaged) names something that is no known subject: neither is the subject
                    named = False
            elif index == 0:
                named = True
            if current is None or not named:
                continue
            found = [t for t in tokens(clause, s_offset + c_offset) if t.measure not in skipped]
            because = states_a_reason(clause) and (
                REASON_START_RE.search(clause) or REASON_RE.search(clause)  # "主要原因按规定…压减10%"
            )
            if because:
                reason_of = current
                # the numbers of a stated reason are of what it names ("主要原因是基本支出增加人员经费
                # 1408.29万元"), not the subject's; nor are those after it in the sentence
                found = [t for t in found if t.start - s_offset - c_offset < because.start()]
            if found and USES_RE.match(clause):
                # "…支出1,727.58万元，主要用于以下方面:一般公共服务支出0万元，占0%": the amounts of
                # what it is used for, not of the subject; the rest of the sentence is about them too
                named = False
                continue
            subjects = (
                _subjects(clause, found, s_offset + c_offset, keywords, current, continuation, clause_whole)
                if found
                else []
            )
            for token, subject in zip(found, subjects):
                if subject is not None:
                    dated = _of_its_year(token, clause, s_offset + c_offset, extraction)
                    if dated is not None:
                        emit(extraction, passage, section, subject, dated)
            if None in subjects:
                named = False  # a number of something unnamed: the rest of the sentence may be about it
            if because:
                named = False
            if not found and "持平" in clause and COMPARED_WITH_YEAR_RE.search(sentence):
                _flat_change(extraction, passage, section, current, s_offset + c_offset)
        if not sentence.rstrip().endswith(("；", ";")):
            breakdown = None  # an enumeration of parts ends with its sentence
        # a reason after something unnamed ("培训费预算支出700万元，…，主要原因是…") is not the subject's
        reason = stated_reason(sentence) if reason_of is not None else None
        if reason and reason_of is not None:
            extraction.reason(
                section=section,
                metric=reason_of.metric,
                qualifier=reason_of.qualifier,
                text=reason,
                locator=passage.locator_at(s_offset),
                quote=sentence.strip(),
            )


ITEM_MARK_RE = re.compile(r"[（(][类款项][）)]")  # a 类/款/项 path names an item
YEAR_CUE_RE = re.compile(r"(20\d{2})\s*年")
COMPARED_WITH_YEAR_RE = re.compile(r"(与|较|比)\s*(上年|上一年|\d{4}\s*年)")
OPENS_PARTS_RE = re.compile(r"\s*其中")
PRINTED_LABEL_RE = re.compile(r"\s*(?:\d{4}\s*年度?)?\s*(?P<label>[^\d，,：:]{2,30}?)\s*(?:为|是)?\s*[-\d]")
ASIDE_RE = re.compile(r"（[^）]*）|\([^)]*\)")  # words in brackets: "设备（不含车辆）"
LISTING_OPENER_RE = re.compile(r"^\s*(?:包括|其中|分别为)[:：]?")


def _of_its_year(token: Token, clause: str, offset: int, extraction: Extraction) -> Token | None:
    """An amount the clause dates to the year before the document's ("2025年预算数为9.23万元" in a
    2026 budget) is the prior amount; one dated earlier still is no figure of this document."""
    year = extraction.identity.fiscal_year if extraction.identity else None
    if year is None or token.measure not in ("amount", "budget_amount"):
        return token
    cue = YEAR_CUE_RE.findall(clause[: max(0, token.start - offset)])
    if not cue:
        return token
    stated = int(cue[-1])
    if stated == year:
        return token
    if stated == year - 1:
        return token._replace(measure="prior_amount")
    return None


def _opens_breakdown(sentence: str, c_offset: int, clause: str) -> bool:
    """The clause names a part of what the sentence named before: "…支出X万元，其中：基本支出Y万元"."""
    return bool(OPENS_PARTS_RE.match(clause) or _breaks_down(sentence, c_offset))


def _breaks_down(sentence: str, c_offset: int) -> bool:
    """The sentence up to the clause ends with 其中 (or "…决算中，"): what follows names a part.
    Every such ending holds 中, and most sentences have none before the clause."""
    return sentence.find("中", 0, c_offset) >= 0 and BREAKDOWN_RE.search(sentence[:c_offset]) is not None


def part_of(parent: Subject, part: Subject) -> Subject | None:
    """The metric a part names under its parent: 基本支出 of 一般公共预算支出 is gpb_basic_expenditure,
    of 财政拨款支出 no metric (None). The ``breakdown`` labels of the vocabulary say so; a pair they do
    not list keeps the part as named."""
    row = _breakdowns().get(f"{parent.metric}>{part.metric}")
    if row is None:
        return part
    return Subject(row.target, part.qualifier) if row.target else None


@cache
def _breakdowns() -> dict[str, Label]:
    """The ``breakdown`` labels by their "parent>part" pattern, the first of each."""
    found: dict[str, Label] = {}
    for label in labels("breakdown"):
        found.setdefault(label.pattern.pattern, label)
    return found


def emit(extraction: Extraction, passage: Passage, section: str, subject: Subject, token: Token) -> None:
    locator = passage.locator_at(token.start)
    quote = passage.quote(token.start, token.start + len(token.printed))
    common = {
        "section": section,
        "metric": subject.metric,
        "qualifier": subject.qualifier,
        "locator": locator,
        "quote": quote,
    }
    negative = token.value is not None and token.value < 0  # an unreadable run: money()/quantity() warn
    is_money = token.unit == "" or token.unit in money_units()  # no unit printed: money (assumed 万元)
    if is_money and token.measure not in ("share_pct", "completion_pct", "change_pct"):
        extraction.money(
            printed_value=token.printed,
            printed_unit=token.unit,
            assumed_unit="万元",
            measure=token.measure,
            negative=negative,
            **common,
        )
    else:
        extraction.quantity(
            printed_value=token.printed, unit=token.unit, measure=token.measure, negative=negative, **common
        )


def _flat_change(extraction: Extraction, passage: Passage, section: str, subject: Subject, offset: int) -> None:
    extraction.money(
        section=section,
        metric=subject.metric,
        qualifier=subject.qualifier,
        measure="change_amount",
        printed_value="0",
        printed_unit="万元",
        shown_as="持平",
        locator=passage.locator_at(offset),
        quote=passage.quote(offset, offset + 1),
    )


def _kind_of(current: Subject, clause: str) -> Subject | None:
    """ "轿车2辆" after "共有公务用车5辆，其中：" is the 轿车 part of the same metric."""
    stripped = clause.strip()
    kind = next((word for word in KIND_WORDS if stripped.startswith(word)), None)
    return Subject(current.metric, kind) if kind else None


def _names_something(clause: str) -> bool:
    """Whether the words a clause prints before its number are damaged (bytes replaced by
    U+FFFD): they name something, but what cannot be told."""
    return "\ufffd" in _printed_label(clause)


@lru_cache(maxsize=1 << 14)
def _printed_label(clause: str) -> str:
    """The words a clause prints before its first number: "事业收入" of "事业收入0万元，占0%".
    (Remembered: a clause is asked up to three times, and most are printed in other documents too.)"""
    m = PRINTED_LABEL_RE.match(clause)
    return m.group("label").strip("：: ") if m else ""


@lru_cache(maxsize=1 << 14)
def _label_subject(clause: str, metric: str) -> Subject | None:
    """A subject named by the clause's own label, when it is one: words, not a caption "（图2"
    or a label of the other side ("项目支出" is no income source). Remembered, as ``_printed_label``."""
    label = _printed_label(clause)
    refused = LABEL_REFUSED.get(metric)
    if not LABEL_WORDS_RE.fullmatch(label) or (refused and refused in label) or any(w in label for w in NOT_A_LABEL):
        return None
    return Subject(metric, label)


def _subjects(
    clause: str,
    found: list[Token],
    offset: int,
    keywords: Keywords,
    subject: Subject,
    continuation: bool,
    whole: Subject | None = None,
) -> list[Subject | None]:
    """The subject of each number of a clause (None: not read): the last one named before it, else
    the clause's own.

    A clause normally names one subject, but a list whose separators were lost (a PDF glyph not
    mapped: "货物采购金额4.79万元工程采购金额0万元服务采购金额246.47万元") names one before each
    number; reading them all as the first would be wrong. Words in brackets are asides
    ("设备（不含车辆）0台"), and a continuation ("占政府采购支出总额的0%") keeps its subject for
    its first number.
    """
    subjects: list[Subject | None] = []
    running: Subject | None = subject
    previous_end = 0
    for index, token in enumerate(found):
        start = token.start - offset
        cue = clause[previous_end:start]
        named = _last_subject(ASIDE_RE.sub("", cue) if "（" in cue or "(" in cue else cue, keywords)
        if named is not None and whole is not None:  # a part of the whole the sentence broke down
            named = part_of(whole, named)
            if named is None:
                subjects.append(None)
                previous_end = start + len(token.printed)
                continue
        if continuation and index:
            # a continuation states one thing of its subject ("占0%", "增长100%"); a second number in
            # it is of something else, named before it or not read ("占100%ｊ政府性基金…收入0万元")
            running = named
        elif not continuation:
            running = named or running
        subjects.append(running)
        previous_end = start + len(token.printed)
    return subjects


@lru_cache(maxsize=1 << 14)
def _last_subject(text: str, keywords: Keywords) -> Subject | None:
    """The subject named last in ``text``, keywords read as ``find_subject`` does (earliest first,
    longest on ties, not overlapping: "国内公务接待" is not also "公务接待"). Remembered: the words
    between numbers recur from document to document."""
    if names_none(text, keywords):
        return None
    found = sorted(
        (
            (m.start(), -len(m.group()), m.end(), candidate)
            for pattern, candidate in keywords.pairs
            for m in pattern.finditer(text)
        ),
        key=lambda f: (f[0], f[1]),
    )
    last, end = None, -1
    for start, _, stop, candidate in found:
        if start >= end and stop > start:
            last, end = candidate, stop
    return last


FUNCTION_LISTING_RE = re.compile(r"按(?:支出)?功能分类(?:科目)?")


def extract_class_listing(extraction: Extraction, passage: Passage, year: int | None) -> None:
    """A budget's 支出 by function in a sentence: "支出预算45,369.18万元。按支出功能分类，包括一般公共服务
    支出22,022.92万元，教育支出9.30万元…" → 类 lines, of the 一般公共预算 when the sentence (or the one
    before it) speaks of it, else of all funds."""
    before = ""
    for s_offset, sentence in sentences(passage.text):
        cue = FUNCTION_LISTING_RE.search(sentence)
        if cue:
            basis = "general_budget" if "一般公共预算" in before + sentence[: cue.start()] else "all_funds"
            _class_lines(extraction, passage, year, s_offset + cue.end(), sentence[cue.end() :], basis)
        before = sentence


def extract_class_shares(extraction: Extraction, passage: Passage, year: int | None) -> None:
    """一般公共预算财政拨款支出决算结构: "社会保障和就业支出1,668.75万元，占96.59%" → 类 lines."""
    for s_offset, sentence in sentences(passage.text):
        _class_lines(extraction, passage, year, s_offset, sentence, "general_budget")


def _class_lines(
    extraction: Extraction, passage: Passage, year: int | None, s_offset: int, sentence: str, basis: str
) -> None:
    """Each clause naming a 类 exactly with its amount (and share): a function line of ``basis``."""
    for c_offset, clause in clauses(sentence):
        label = _label_subject(LISTING_OPENER_RE.sub("", clause.split("方面")[-1].lstrip(":：")), "class")
        found = [t for t in tokens(clause, s_offset + c_offset) if t.measure == "amount"]
        if label is None or not found:
            continue
        match = resolve_function(label.qualifier, year=year)
        if match.level != "类":
            continue
        rest = sentence[c_offset + len(clause) :]
        share = next((t for t in tokens(rest.split("；")[0].split(";")[0]) if t.measure == "share_pct"), None)
        token = found[0]
        if token.value is None:
            extraction.warn(
                "unreadable_number",
                f"{label.qualifier}: cannot read {token.printed!r}",
                passage.locator_at(token.start),
            )
            continue
        add_function_line(
            extraction,
            statement="narrative",
            basis=basis,
            printed_code="",
            raw_label=label.qualifier,
            match=match,
            amount_printed=token.printed,
            unit=token.unit or "万元",
            share_pct=share.value if share else None,
            locator=passage.locator_at(token.start),
            quote=passage.quote(token.start, token.start + 1),
        )


ITEM_AMOUNT_RE = re.compile(r"(?:支出)?决算(?:数)?为\s*(?P<num>[\d,，.]+)\s*(?P<unit>万元|元)?")
ITEM_BUDGET_RE = re.compile(r"(?:年初|调整后)?预算(?:数)?为\s*(?P<num>[\d,，.]+)\s*(?P<unit>万元|元)?")
ITEM_COMPLETION_RE = re.compile(r"完成(?:年初)?(?:调整)?预算(?:的)?\s*(?P<num>[\d.]+)\s*[%％]")


def extract_detail_items(extraction: Extraction, passage: Passage, year: int | None) -> None:
    """具体情况: one item per 类（类）款（款）项（项） path, with 决算数, 预算数, 完成率 and reason."""
    text = passage.text
    items = _item_paths(text)
    if items:
        scan_section(extraction, passage, "gpb_detail", text=text[: items[0].start()])
    for index, item in enumerate(items):
        end = items[index + 1].start() if index + 1 < len(items) else len(text)
        body = text[item.end() : end]
        next_item = NEXT_ITEM_RE.search(body)  # an item whose path was not recognised is not this one's
        if next_item:
            body = body[: next_item.start() + 1]
        path = item.group("path").strip()
        match = resolve_function(path, year=year)
        amount = ITEM_AMOUNT_RE.search(body)
        budget = ITEM_BUDGET_RE.search(body)
        completion = ITEM_COMPLETION_RE.search(body)
        reason = stated_reason(body) or ""
        if amount is None:
            extraction.warn("item_without_amount", f"no 决算数 found for {path}", passage.locator_at(item.start()))
            continue
        printed = {
            name: _whole_number(body, m)
            for name, m in (("amount", amount), ("budget", budget), ("completion", completion))
        }
        unreadable = [number for number in printed.values() if number is not None and parse_number(number) is None]
        if unreadable:
            extraction.warn(
                "unreadable_number",
                f"{path}: cannot read {', '.join(map(repr, unreadable))}",
                passage.locator_at(item.start()),
            )
        if parse_number(printed["amount"]) is None:
            continue
        unit = amount.group("unit") or "万元"
        add_function_line(
            extraction,
            statement="narrative",
            basis="general_budget",
            printed_code="",
            raw_label=path,
            match=match,
            amount_printed=printed["amount"],
            unit=unit,
            budget_printed=_in_unit(printed["budget"], budget.group("unit") if budget else None, unit),
            completion_printed=printed["completion"],
            reason=reason,
            locator=passage.locator_at(item.start()),
            quote=(path + body).strip()[:300],
        )


# a path's 类 part is at most 30 NAME_CHARs, each at most 10 characters (a bracketed part: （, 8, ）)
MAX_CLASS_PART_CHARS = 30 * 10
CLASS_MARK = "（类）"


def _item_paths(text: str) -> list[re.Match[str]]:
    """``list(ITEM_PATH_RE.finditer(text))``, each search started near the next （类）: a path's
    类 part ends at the first （类） after its start (no NAME_CHAR reads one), so a path cannot start
    more than ``MAX_CLASS_PART_CHARS`` before it, and the text before need not be tried."""
    items: list[re.Match[str]] = []
    position = 0
    while (mark := text.find(CLASS_MARK, position)) >= 0:
        m = ITEM_PATH_RE.search(text, max(position, mark - MAX_CLASS_PART_CHARS))
        if m is None:
            break
        items.append(m)
        position = m.end()
    return items


def _in_unit(printed: str | None, printed_unit: str | None, unit: str) -> str | None:
    """A budget printed in 万元 beside an amount in 元 (or the other way), written in the amount's unit."""
    value = parse_number(printed)
    if value is None or not printed_unit or printed_unit == unit:
        return printed
    wan, one_unit = to_wan(value, printed_unit), to_wan(Decimal(1), unit)
    return printed if wan is None or one_unit is None else format_decimal(wan / one_unit)


def _whole_number(text: str, m: re.Match | None) -> str | None:
    """The printed number a match's ``num`` group starts, with whatever is glued into it
    ("3 4.69" of "决算为3 4.69万元", not "3"; "13X.02", not "13")."""
    if m is None:
        return None
    start, end = glued_run(text, m.start("num"), m.end("num"))
    return text[start:end]


def extract_components(extraction: Extraction, passage: Passage) -> None:
    for m in COMPONENTS_RE.finditer(passage.text):
        metric = "personnel_expenditure" if m.group("what") == "人员经费" else "public_expenditure"
        extraction._add_figure(
            "basic",
            metric,
            "",
            "components",
            None,
            "text",
            "",
            "",
            m.group("list").strip("等 "),
            passage.locator_at(m.start()),
            m.group().strip(),
        )


def extract_scores(extraction: Extraction, passage: Passage) -> None:
    """自评得分: the department as a whole, each named project, and stated averages."""
    for m in SCORE_RE.finditer(passage.text):
        whole = "部门整体" in (m.group("pre") or "") or "整体" in (m.group("name") or "")
        metric = "department_self_score" if whole else "project_self_score"
        qualifier = "" if whole else (m.group("name") or "").strip()
        if not whole and not qualifier:  # a project's score, but which project is not printed with it
            extraction.warn(
                "unnamed_score", f"自评得分 {m.group('num')}: no project named", passage.locator_at(m.start("num"))
            )
            continue
        extraction.quantity(
            section="performance",
            metric=metric,
            qualifier=qualifier,
            measure="score",
            printed_value=m.group("num"),
            unit="分",
            locator=passage.locator_at(m.start("num")),
            quote=passage.quote(m.start("num"), m.end("num")),
        )
    for m in AVERAGE_SCORE_RE.finditer(passage.text):
        extraction.quantity(
            section="performance",
            metric="performance_average_score",
            measure="score",
            printed_value=m.group("num"),
            unit="分",
            locator=passage.locator_at(m.start("num")),
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
                section="staffing",
                metric=metric,
                qualifier=qualifier,
                measure="count",
                printed_value=m.group("num"),
                unit="人",
                locator=passage.locator_at(m.start("num")),
                quote=passage.quote(m.start("num"), m.end("num")),
            )
