"""A synthetic department-year: the figures of one 部门决算, drawn at random, adding up exactly.

Everything is deterministic. A department (its region and its obviously synthetic name,
"合成样本零零零零四二号局") depends on its index alone; its figures for a year depend on
``(seed, index, year)`` alone, so any one document can be drawn again without the others,
and the same seed always gives the same figures. Money is held in hundredths of 万元 (``int``)
while drawing (random factors are floats, every amount is an integer) and handed out as
``Decimal`` with two places (万元); no amount is ever a float. Codes are those of the
reference seeds valid in the year.

What adds up, by construction:

- each 项: 基本支出 + 项目支出 = 支出合计; its 一般公共预算财政拨款 part is the total less
  the part paid from 事业收入 or 其他收入 (always project spending);
- 款 = Σ its 项, 类 = Σ its 款, 本年支出合计 = Σ 类 = Σ 项;
- income by source = 本年收入合计 = 本年支出合计 (no carry-over: 收、支总计 are equal);
- 人员经费 + 公用经费 = 一般公共预算财政拨款基本支出, and the economic lines add up to them;
- 三公: 公务用车购置及运行费 = 购置 + 运行, total = 出国 + 公务用车 + 接待, all within 公用经费;
- the prior-year figures stated in a document ("与2022年相比…增加…") are the figures this
  model gives the same department for the year before.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

from ingest.parse.classification import RefRow, function_reference
from tools.synthetic.reference import economic_names, pool

BANNER = "【合成数据 SYNTHETIC — 仅用于性能测试，不是真实公开文件】"
NAME_PREFIX = "合成样本"
DIGITS = "零一二三四五六七八九"
INDEX_WIDTH = 6  # department numbers 零零零零零零 … 九九九九九九
KINDS = ("局", "中心", "办公室", "委员会", "服务中心", "管理局")
# real county-level regions, so that the gazetteer resolves the department's region
REGIONS = (
    "四川省遂宁市安居区",
    "上海市普陀区",
    "上海市徐汇区",
    "北京市海淀区",
    "天津市和平区",
    "重庆市渝中区",
    "江苏省南京市玄武区",
    "浙江省杭州市西湖区",
    "广东省广州市天河区",
    "湖北省武汉市江岸区",
    "湖南省长沙市岳麓区",
    "山东省济南市历下区",
    "河南省郑州市金水区",
    "陕西省西安市雁塔区",
    "四川省成都市武侯区",
    "福建省厦门市思明区",
    "安徽省合肥市蜀山区",
    "江西省南昌市东湖区",
    "云南省昆明市五华区",
    "贵州省贵阳市南明区",
    "辽宁省沈阳市和平区",
    "吉林省长春市朝阳区",
    "黑龙江省哈尔滨市南岗区",
    "河北省石家庄市长安区",
    "山西省太原市小店区",
    "甘肃省兰州市城关区",
    "广西壮族自治区南宁市青秀区",
    "内蒙古自治区呼和浩特市新城区",
    "新疆维吾尔自治区乌鲁木齐市天山区",
    "海南省海口市龙华区",
    "宁夏回族自治区银川市兴庆区",
    "青海省西宁市城东区",
    "西藏自治区拉萨市城关区",
    "四川省遂宁市船山区",
    "江苏省苏州市姑苏区",
)
# 项 that carry the staff's social insurance and housing: basic spending only
PERSONNEL_CODES = ("2080501", "2080502", "2080505", "2080506", "2101101", "2101102", "2210201", "2210203")
BASIC_ONLY_NAMES = ("行政运行", "事业运行", "机关服务")
# economic classification of 基本支出: (code, name), 人员经费 = 301 + 303, 公用经费 = 302 + 310
PERSONNEL_ALWAYS = (
    ("30101", "基本工资"),
    ("30102", "津贴补贴"),
    ("30108", "机关事业单位基本养老保险缴费"),
    ("30109", "职业年金缴费"),
    ("30110", "职工基本医疗保险缴费"),
    ("30113", "住房公积金"),
)
PERSONNEL_SOMETIMES = (
    ("30103", "奖金"),
    ("30107", "绩效工资"),
    ("30112", "其他社会保障缴费"),
    ("30199", "其他工资福利支出"),
    ("30302", "退休费"),
    ("30305", "生活补助"),
    ("30309", "奖励金"),
)
PUBLIC_ALWAYS = (("30201", "办公费"), ("30211", "差旅费"), ("30228", "工会经费"), ("30299", "其他商品和服务支出"))
PUBLIC_SOMETIMES = (
    ("30202", "印刷费"),
    ("30205", "水费"),
    ("30206", "电费"),
    ("30207", "邮电费"),
    ("30209", "物业管理费"),
    ("30213", "维修（护）费"),
    ("30216", "培训费"),
    ("30226", "劳务费"),
    ("30229", "福利费"),
    ("30239", "其他交通费用"),
    ("31002", "办公设备购置"),
)
ECONOMIC_CLASSES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助", "310": "资本性支出"}
NON_FISCAL_SOURCES = ("事业收入", "其他收入")
REASONS = ("人员变动及工资调整", "业务工作量增加", "项目资金按进度拨付", "严格控制一般性支出", "部分项目当年完成")


# ---------------------------------------------------------------------------------------
# departments


@dataclass(frozen=True)
class Department:
    index: int
    region: str  # 四川省遂宁市安居区
    short_name: str  # 合成样本零零零零四二号局

    @property
    def name(self) -> str:
        return self.region + self.short_name

    @property
    def area(self) -> str:
        """The last character of the region ("区", "县", "市"): 全区, 区委, …"""
        return self.region[-1]


@lru_cache(maxsize=65536)
def department(index: int) -> Department:
    """The index-th synthetic department (its identity does not depend on the seed)."""
    if not 0 <= index < 10**INDEX_WIDTH:
        raise ValueError(f"department index must be in 0..{10**INDEX_WIDTH - 1}, got {index}")
    number = "".join(DIGITS[int(d)] for d in f"{index:0{INDEX_WIDTH}d}")
    kind = KINDS[(index // len(REGIONS)) % len(KINDS)]
    return Department(index, REGIONS[index % len(REGIONS)], f"{NAME_PREFIX}{number}号{kind}")


def index_from_name(text: str) -> int | None:
    """The department index printed in a synthetic name or file name, None when there is none."""
    start = text.find(NAME_PREFIX)
    if start < 0:
        return None
    digits = text[start + len(NAME_PREFIX) : start + len(NAME_PREFIX) + INDEX_WIDTH]
    if len(digits) != INDEX_WIDTH or any(d not in DIGITS for d in digits):
        return None
    return int("".join(str(DIGITS.index(d)) for d in digits))


# ---------------------------------------------------------------------------------------
# the model


def wan(fen: int) -> Decimal:
    """Hundredths of 万元 as a two-place Decimal in 万元."""
    return Decimal(fen).scaleb(-2)


ZERO = Decimal("0.00")


class ItemLine(NamedTuple):
    """One 项 of the functional classification, with its 款 and 类 (amounts in 万元)."""

    code: str
    name: str
    kuan_code: str
    kuan_name: str
    lei_code: str
    lei_name: str
    amount: Decimal  # 支出合计, all funds = basic + project
    basic: Decimal  # 基本支出 (all of it 一般公共预算财政拨款)
    project: Decimal  # 项目支出, all funds
    non_fiscal: Decimal  # the part of 项目支出 paid from 事业收入 / 其他收入
    gpb_amount: Decimal  # 一般公共预算财政拨款支出 = amount - non_fiscal
    gpb_project: Decimal  # = project - non_fiscal
    budget: Decimal  # 年初预算 of the 一般公共预算财政拨款 amount


class FunctionTotal(NamedTuple):
    """A 类, 款 or 项 row of a function table: its amounts, all funds and 一般公共预算."""

    code: str
    level: str
    name: str
    amount: Decimal
    basic: Decimal
    project: Decimal
    gpb_amount: Decimal
    gpb_project: Decimal
    budget: Decimal


class EconomicLine(NamedTuple):
    code: str
    name: str
    amount: Decimal


class Sangong(NamedTuple):
    abroad: Decimal
    vehicle_purchase: Decimal
    vehicle_operation: Decimal
    reception: Decimal

    @property
    def vehicle(self) -> Decimal:
        return self.vehicle_purchase + self.vehicle_operation

    @property
    def total(self) -> Decimal:
        return self.abroad + self.vehicle + self.reception


class Project(NamedTuple):
    """A project with a 绩效自评 (self-evaluation)."""

    name: str
    code: str
    budget: Decimal
    executed: Decimal
    score: int


class Traits(NamedTuple):
    """What a department is like, whatever the year."""

    non_fiscal_source: str
    scale: float  # 万元
    non_fiscal_share: float
    basic_share: float
    personnel_share: float
    operating_share: float
    has_vehicles: bool
    goes_abroad: bool


class Headline(NamedTuple):
    """The totals of a department-year in hundredths of 万元, drawn apart from the lines so that a
    document can state the figures of the year before."""

    total: int
    non_fiscal: int
    basic: int
    personnel: int
    operating_cost: int
    abroad: int
    vehicle_purchase: int
    vehicle_operation: int
    reception: int

    @property
    def gpb_total(self) -> int:
        return self.total - self.non_fiscal

    @property
    def sangong_total(self) -> int:
        return self.abroad + self.vehicle_purchase + self.vehicle_operation + self.reception


@dataclass(frozen=True)
class DepartmentYear:
    department: Department
    year: int
    seed: int
    items: tuple[ItemLine, ...]
    head: Headline
    prior: Headline  # the same department the year before
    non_fiscal_source: str  # 事业收入 or 其他收入
    sangong: Sangong
    sangong_budget: Sangong
    staff_admin: int
    staff_institution: int
    staff_actual: int
    procurement_goods: Decimal
    procurement_works: Decimal
    procurement_services: Decimal
    procurement_sme: Decimal
    vehicles: int
    equipment: int
    projects: tuple[Project, ...]
    reasons: tuple[str, ...]  # stated reasons of change, drawn once per document

    # -- totals ----------------------------------------------------------------------------
    @cached_property
    def total(self) -> Decimal:
        """本年支出合计 = 本年收入合计 = 收、支总计 (= Σ 项)."""
        return wan(self.head.total)

    @cached_property
    def basic(self) -> Decimal:
        return wan(self.head.basic)

    @cached_property
    def project(self) -> Decimal:
        return wan(self.head.total - self.head.basic)

    @cached_property
    def non_fiscal(self) -> Decimal:
        return wan(self.head.non_fiscal)

    @cached_property
    def gpb_total(self) -> Decimal:
        """一般公共预算财政拨款支出 = 财政拨款收入 = 财政拨款收、支总计."""
        return wan(self.head.gpb_total)

    @cached_property
    def gpb_project(self) -> Decimal:
        return wan(self.head.total - self.head.basic - self.head.non_fiscal)

    @cached_property
    def gpb_budget(self) -> Decimal:
        return sum((item.budget for item in self.items), ZERO)

    @cached_property
    def personnel(self) -> Decimal:
        return wan(self.head.personnel)

    @cached_property
    def public(self) -> Decimal:
        return wan(self.head.basic - self.head.personnel)

    @cached_property
    def operating_cost(self) -> Decimal:
        return wan(self.head.operating_cost)

    @cached_property
    def income(self) -> tuple[tuple[str, Decimal], ...]:
        """本年收入 by source, in the order of the standard tables."""
        non_fiscal = {
            source: (self.non_fiscal if source == self.non_fiscal_source else ZERO) for source in NON_FISCAL_SOURCES
        }
        return (
            ("一般公共预算财政拨款收入", self.gpb_total),
            ("政府性基金预算财政拨款收入", ZERO),
            ("国有资本经营预算财政拨款收入", ZERO),
            ("上级补助收入", ZERO),
            ("事业收入", non_fiscal["事业收入"]),
            ("经营收入", ZERO),
            ("附属单位上缴收入", ZERO),
            ("其他收入", non_fiscal["其他收入"]),
        )

    @cached_property
    def economic(self) -> tuple[EconomicLine, ...]:
        """基本支出 by economic classification (drawn when first asked for: only the PDF prints it)."""
        index = self.department.index
        rng = random.Random(f"juesuan-synthetic/{self.seed}/{index}/{self.year}/economic")
        return _economic(self.head, self.year, rng)

    @cached_property
    def function_totals(self) -> tuple[FunctionTotal, ...]:
        """类, 款 and 项 rows in code order, each 类/款 the sum of the 项 under it."""
        sums: dict[str, list] = {}
        for item in self.items:
            values = (item.amount, item.basic, item.project, item.gpb_amount, item.gpb_project, item.budget)
            for code, level, name in ((item.lei_code, "类", item.lei_name), (item.kuan_code, "款", item.kuan_name)):
                row = sums.get(code)
                if row is None:
                    sums[code] = [level, name, *values]
                else:
                    for k in range(6):
                        row[k + 2] += values[k]
            sums[item.code] = ["项", item.name, *values]
        return tuple(FunctionTotal(code, *sums[code]) for code in sorted(sums))

    @property
    def classes(self) -> tuple[FunctionTotal, ...]:
        return tuple(row for row in self.function_totals if row.level == "类")


# ---------------------------------------------------------------------------------------
# drawing


def department_year(index: int, year: int, seed: int) -> DepartmentYear:
    """The model of one synthetic department-year (deterministic in its three arguments)."""
    dept = department(index)
    traits = _traits(seed, index)
    head = headline(index, year, seed)
    rng = random.Random(f"juesuan-synthetic/{seed}/{index}/{year}")
    draw = rng.random
    items = _items(_codes(year, rng), head, rng)
    sangong = Sangong(wan(head.abroad), wan(head.vehicle_purchase), wan(head.vehicle_operation), wan(head.reception))
    budget = Sangong(
        *(_budget(fen, rng) for fen in (head.abroad, head.vehicle_purchase, head.vehicle_operation, head.reception))
    )
    actual = max(3, int(head.personnel / 100 / (16 + 14 * draw())))
    admin = int(actual * (0.2 + 0.4 * draw()))
    project = head.total - head.basic
    goods, works, services = _split(
        int(project * 0.5 * draw()),
        [1 + int(30 * draw()), int(10 * draw()) * (draw() < 0.3), 20 + int(80 * draw())],
        minimum=0,
    )
    return DepartmentYear(
        department=dept,
        year=year,
        seed=seed,
        items=items,
        head=head,
        prior=headline(index, year - 1, seed),
        non_fiscal_source=traits.non_fiscal_source,
        sangong=sangong,
        sangong_budget=budget,
        staff_admin=admin,
        staff_institution=actual - admin + int(4 * draw()),
        staff_actual=actual,
        procurement_goods=wan(goods),
        procurement_works=wan(works),
        procurement_services=wan(services),
        procurement_sme=wan(int((goods + services) * (0.5 + 0.5 * draw()))),
        vehicles=1 + int(6 * draw()) if head.vehicle_operation else 0,
        equipment=int(4 * draw()),
        projects=_projects(items, index, year, rng),
        reasons=tuple(rng.choice(REASONS) for _ in range(6)),
    )


@lru_cache(maxsize=4096)
def _traits(seed: int, index: int) -> Traits:
    rng = random.Random(f"juesuan-synthetic/{seed}/{index}/traits")
    return Traits(
        non_fiscal_source=NON_FISCAL_SOURCES[rng.random() < 0.5],
        scale=10 ** rng.uniform(2.3, 4.3),  # 200 to 20 000 万元
        non_fiscal_share=rng.uniform(0.02, 0.2) if rng.random() < 0.35 else 0.0,
        basic_share=rng.uniform(0.45, 0.9),
        personnel_share=rng.uniform(0.72, 0.92),
        operating_share=1.0 if rng.random() < 0.6 else rng.uniform(0.5, 0.95),
        has_vehicles=rng.random() < 0.5,
        goes_abroad=rng.random() < 0.1,
    )


@lru_cache(maxsize=4096)
def headline(index: int, year: int, seed: int) -> Headline:
    """Totals of a department-year: the department's level (by seed and index) times a yearly factor."""
    traits = _traits(seed, index)
    rng = random.Random(f"juesuan-synthetic/{seed}/{index}/{year}/headline")
    total = max(5000, int(traits.scale * rng.uniform(0.85, 1.2) * 100))
    basic = int(total * traits.basic_share * rng.uniform(0.95, 1.05))
    basic = min(max(basic, total // 10), total - max(500, total // 20))
    non_fiscal = int((total - basic) * traits.non_fiscal_share * rng.uniform(0.5, 1.0))
    personnel = int(basic * min(0.97, traits.personnel_share * rng.uniform(0.97, 1.03)))
    public = basic - personnel
    reception = int(public * rng.uniform(0.002, 0.03))
    operation = int(public * rng.uniform(0.01, 0.06)) if traits.has_vehicles else 0
    purchase = int(rng.uniform(8, 25) * 100) if traits.has_vehicles and rng.random() < 0.15 else 0
    abroad = int(rng.uniform(1, 8) * 100) if traits.goes_abroad and rng.random() < 0.6 else 0
    if reception + operation + purchase + abroad > public // 2:
        purchase = abroad = 0
    return Headline(
        total,
        non_fiscal,
        basic,
        personnel,
        int(public * traits.operating_share),
        abroad,
        purchase,
        operation,
        reception,
    )


def _codes(year: int, rng: random.Random) -> list[RefRow]:
    """The 项 of a department-year: its own functions (1–3 类) and the staff's social insurance."""
    available = pool(year)
    palette = rng
    own = [code for code in available.tree if code not in ("208", "210", "221")] or list(available.tree)
    main: list[RefRow] = []
    for lei in palette.sample(own, k=min(len(own), palette.choice((1, 1, 2, 2, 3)))):
        kuans = list(available.tree[lei])
        for kuan in palette.sample(kuans, k=min(len(kuans), palette.choice((1, 1, 2)))):
            items = available.tree[lei][kuan]
            main.extend(palette.sample(items, k=min(len(items), palette.randint(1, 4))))
    staff = list(_staff_codes(year))
    staff = palette.sample(staff, k=min(len(staff), palette.randint(2, 5)))
    return sorted(main + staff, key=lambda code: code.code)


@lru_cache(maxsize=64)
def _staff_codes(year: int) -> tuple[RefRow, ...]:
    known = {item.code: item for kuans in pool(year).tree.values() for items in kuans.values() for item in items}
    return tuple(known[code] for code in PERSONNEL_CODES if code in known)


def _weights(rng: random.Random, count: int) -> list[int]:
    """Random integer weights 5..100 (cheaper than ``randint`` in a loop)."""
    draw = rng.random
    return [5 + int(draw() * 96) for _ in range(count)]


def _items(codes: list[RefRow], head: Headline, rng: random.Random) -> tuple[ItemLine, ...]:
    """Split the headline's 基本/项目/non-fiscal amounts over the 项."""
    draw = rng.random
    kinds = []
    for code in codes:
        if code.code in PERSONNEL_CODES or code.name in BASIC_ONLY_NAMES:
            kinds.append("basic")
        else:
            kinds.append("mixed" if draw() < 0.2 else "project")
    main = [k for k, code in enumerate(codes) if code.code not in PERSONNEL_CODES]
    if not any(kind in ("basic", "mixed") for kind in kinds):
        kinds[main[0]] = "mixed"
    if not any(kind in ("project", "mixed") for kind in kinds):
        kinds[main[-1]] = "mixed"
    basic_rows = [k for k, kind in enumerate(kinds) if kind != "project"]
    project_rows = [k for k, kind in enumerate(kinds) if kind != "basic"]
    basic = [0] * len(codes)
    project = [0] * len(codes)
    non_fiscal = [0] * len(codes)
    for k, share in zip(basic_rows, _split(head.basic, _weights(rng, len(basic_rows)))):
        basic[k] = share
    for k, share in zip(project_rows, _split(head.total - head.basic, _weights(rng, len(project_rows)))):
        project[k] = share
    for k, share in zip(project_rows, _split(head.non_fiscal, [project[k] for k in project_rows], minimum=0)):
        non_fiscal[k] = share
    reference = function_reference()
    lines = []
    for k, code in enumerate(codes):
        kuan = reference[code.parent_code]
        lei = reference[kuan.parent_code]
        amount = basic[k] + project[k]
        gpb = amount - non_fiscal[k]
        budget = gpb if draw() < 0.35 else int(gpb * (1.0 + 0.08 * draw()))
        lines.append(
            ItemLine(
                code.code,
                code.name,
                kuan.code,
                kuan.name,
                lei.code,
                lei.name,
                wan(amount),
                wan(basic[k]),
                wan(project[k]),
                wan(non_fiscal[k]),
                wan(gpb),
                wan(project[k] - non_fiscal[k]),
                wan(budget),
            )
        )
    return tuple(lines)


def _economic(head: Headline, year: int, rng: random.Random) -> tuple[EconomicLine, ...]:
    """基本支出 by economic classification: 类 rows (301 302 303 310) and their 款.

    人员经费 (301 + 303) and 公用经费 (302 + 310) are the headline's; the 三公 parts appear as
    their own 款 (30212 30217 30231 31013). Only codes valid in the year are used, with the
    names the reference gives them that year.
    """
    draw = rng.random
    names = economic_names(year)
    personnel = [code for code, _ in PERSONNEL_ALWAYS if code in names]
    personnel += [code for code, _ in PERSONNEL_SOMETIMES if draw() < 0.5 and code in names]
    public = [code for code, _ in PUBLIC_ALWAYS if code in names]
    public += [code for code, _ in PUBLIC_SOMETIMES if draw() < 0.5 and code in names]
    fixed = [
        (code, value)
        for code, value in (
            ("30212", head.abroad),
            ("30217", head.reception),
            ("30231", head.vehicle_operation),
            ("31013", head.vehicle_purchase),
        )
        if value and code in names
    ]
    public_rest = head.basic - head.personnel - sum(value for _, value in fixed)
    amounts = dict(zip(personnel, _split(head.personnel, _weights(rng, len(personnel)))))
    amounts.update(zip(public, _split(public_rest, _weights(rng, len(public)))))
    amounts.update(fixed)
    classes: dict[str, list[str]] = {}
    for code in sorted(amounts):
        classes.setdefault(code[:3], []).append(code)
    lines = []
    for lei, codes in classes.items():
        lines.append(EconomicLine(lei, names.get(lei, ECONOMIC_CLASSES[lei]), wan(sum(amounts[c] for c in codes))))
        lines.extend(EconomicLine(code, names[code], wan(amounts[code])) for code in codes)
    return tuple(lines)


def _projects(items: tuple[ItemLine, ...], index: int, year: int, rng: random.Random) -> tuple[Project, ...]:
    projects = []
    for item in items:
        if len(projects) == 5:
            break
        if not item.gpb_project:
            continue
        executed = item.gpb_project
        fen = int(executed * 100)
        budget = executed if rng.random() < 0.6 else wan(int(fen * (1.0 + 0.1 * rng.random())))
        code = f"{index:06d}{year % 100:02d}T{len(projects):012d}"
        projects.append(Project(f"{item.name}专项经费", code, budget, executed, 85 + int(16 * rng.random())))
    return tuple(projects)


def _budget(fen: int, rng: random.Random) -> Decimal:
    """A 预算数 beside a 决算数: the same, or up to 30 % more; now and then something budgeted where
    nothing was spent."""
    if fen == 0:
        return wan(50 + int(250 * rng.random()) if rng.random() < 0.3 else 0)
    return wan(fen if rng.random() < 0.4 else int(fen * (1.0 + 0.3 * rng.random())))


def _split(total: int, weights: list[int], minimum: int = 100) -> list[int]:
    """``total`` in integer shares proportional to ``weights`` (rounded down, the few units left
    over going one each to the first shares), each at least ``minimum`` when the total allows it;
    the shares add up to ``total`` exactly."""
    if not weights:
        return []
    floor = min(minimum, total // (2 * len(weights))) if minimum else 0
    rest = total - floor * len(weights)
    weight_sum = sum(weights)
    if weight_sum == 0:
        weights, weight_sum = [1] * len(weights), len(weights)
    shares = [floor + rest * w // weight_sum for w in weights]
    for k in range(total - sum(shares)):  # fewer than len(weights)
        shares[k] += 1
    return shares


# ---------------------------------------------------------------------------------------
# small helpers for the renderers


PERCENT_PLACES = Decimal("0.01")


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole in percent, two places, half up (0 when either is 0)."""
    if not part or not whole:
        return ZERO
    return (part * 100 / whole).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
