"""A synthetic department-year as a text document in the shape of the Sichuan 决算 sample.

The shape follows ``samples/sichuan/*.txt`` (a .docx saved as text): 第一部分 部门概况,
第二部分 情况说明 with its numbered sections (收入支出决算总体情况说明 … 其他重要事项的情况说明),
the 具体情况 items "1.社会保障和就业支出（类）抚恤（款）死亡抚恤（项）:支出决算为…万元", 第三部分
名词解释, and 部门预算项目支出绩效自评表 as tab-led cells (one cell a line, a blank line ends a
row), with the ``[bookmark: _Toc…]`` markers Word leaves behind. The first line is the
synthetic-data banner; the department's name is labelled (编制部门：…) so that the ingest
identifies it whatever the file is called.
"""

from __future__ import annotations

from decimal import Decimal

from tools.synthetic.corpus import BANNER, DepartmentYear, percent

PERSONNEL_COMPONENTS = "基本工资、津贴补贴、奖金、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、住房公积金、退休费等"
PUBLIC_COMPONENTS = "办公费、印刷费、水费、电费、邮电费、物业管理费、差旅费、维修（护）费、培训费、公务接待费、工会经费、福利费、其他交通费用等"
GLOSSARY = (
    "财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
    "事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。",
    "其他收入：指单位取得的除上述收入以外的各项收入。",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "“三公”经费：指部门用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
    "机关运行经费：为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。",
)


def render_text(model: DepartmentYear) -> str:
    """The whole document as one string (lines joined with "\\n", ending with a newline)."""
    lines = [BANNER, *_cover(model), *_profile(model), *_explanation(model), *_glossary(model), *_attachments(model)]
    return "\n".join(lines) + "\n"


def money(value: Decimal) -> str:
    """万元 as the Sichuan sample prints them: 1,727.58; 0."""
    return "0" if not value else f"{value:,}"


def pct(value: Decimal) -> str:
    return f"{value}"


def _mark(number: int) -> str:
    return f"[bookmark: _Toc{number}]"


def _change(current: Decimal, prior: Decimal, year: int, what: str) -> str:
    """ "与2022年相比，<what>增加542.05万元，增长45.72%" (or 减少/下降, or 持平)."""
    difference = current - prior
    if not difference:
        return f"与{year - 1}年相比，{what}持平"
    verb, trend = ("增加", "增长") if difference > 0 else ("减少", "下降")
    return (
        f"与{year - 1}年相比，{what}{verb}{money(abs(difference))}万元，{trend}{pct(percent(abs(difference), prior))}%"
    )


def _cover(model: DepartmentYear) -> list[str]:
    name = model.department.name
    return [f"{name}{model.year}年度部门决算", f"编制部门：{name}", ""]


def _profile(model: DepartmentYear) -> list[str]:
    dept = model.department
    area = dept.area
    short = dept.short_name
    return [
        f"{_mark(5181)}第一部分 部门概况",
        "",
        f"{_mark(15396600)}{_mark(15377197)}一、主要职责",
        f"1、贯彻执行国家和省、市有关方针政策和法律法规，拟订全{area}相关领域的发展规划并组织实施。",
        f"2、负责全{area}相关领域的统筹协调、监督管理和公共服务工作。",
        "3、负责本部门预算编制和执行，管理本部门国有资产。",
        f"4、完成{area}委、{area}政府交办的其他任务。",
        "",
        f"{_mark(15396601)}    二、机构设置",
        f"{short}为{area}政府所属部门。下属二级单位0个，其中行政单位0个，参照公务员法管理的事业单位0个，其他事业单位0个",
        f"纳入{short}{model.year}年度单位决算编制范围的二级预算单位包括：无。",
        f"{short}{model.year}年编制人数{model.staff_admin + model.staff_institution}人，其中行政编制{model.staff_admin}人、"
        f"事业人员编制{model.staff_institution}人，年末实有人数{model.staff_actual}人。",
        "",
        "",
    ]


def _explanation(model: DepartmentYear) -> list[str]:
    year = model.year
    prior = model.prior
    total, gpb = model.total, model.gpb_total
    prior_total, prior_gpb = Decimal(prior.total).scaleb(-2), Decimal(prior.gpb_total).scaleb(-2)
    reasons = model.reasons
    income = [(label, value) for label, value in model.income]
    income_text = "；".join(f"{label}{money(value)}万元，占{pct(percent(value, total))}%" for label, value in income)
    basic, project = model.basic, model.project
    classes = model.classes
    lines = [
        f"{_mark(15396602)}第二部分 {year}年度部门决算情况说明",
        "",
        f"1、 {_mark(15377205)}收入支出决算总体情况说明",
        f"{year}年度收、支总计均为{money(total)}万元，{_change(total, prior_total, year, '收、支总计各')}，主要变动原因是{reasons[0]}。",
        "",
        "（图1：收、支决算总计变动情况图）（柱状图单位：万元）",
        "",
        f"2、 {_mark(14427)}收入决算情况说明",
        f"{_mark(8372)}{year}年本年收入合计{money(total)}万元，其中：{income_text}。",
        "",
        "（图2：收入决算结构图）（饼状图）",
        "",
        f"3、 {_mark(17829)}支出决算情况说明",
        f"{year}年本年支出合计{money(total)}万元，其中：基本支出{money(basic)}万元，占{pct(percent(basic, total))}%；"
        f"项目支出{money(project)}万元，占{pct(percent(project, total))}%；上缴上级支出0万元，占0%；经营支出0万元，占0%；"
        "对附属单位补助支出0万元，占0%。",
        "",
        "（图3：支出决算结构图）（饼状图）",
        f"{_mark(25851)}四、财政拨款收入支出决算总体情况说明",
        f"{year}年度财政拨款收、支总计均为{money(gpb)}万元，{_change(gpb, prior_gpb, year, '财政拨款收、支总计各')}，"
        f"主要变动原因是{reasons[1]}。",
        "",
        "（图4：财政拨款收、支决算总计变动情况）（柱状图单位：万元）",
        "",
        f"{_mark(3423)}五、一般公共预算财政拨款支出决算情况说明",
        f"{_mark(15377210)}（一）一般公共预算财政拨款支出决算总体情况",
        f"{year}年一般公共预算财政拨款支出{money(gpb)}万元。占本年支出合计的{pct(percent(gpb, total))}%。"
        f"{_change(gpb, prior_gpb, year, '支出')}，主要变动原因是{reasons[2]}。",
        "",
        "（图5：一般公共预算财政拨款支出决算变动情况）（柱状图单位：万元）",
        f"（2） {_mark(15377211)}一般公共预算财政拨款支出决算结构情况",
        "",
        f"{year}年一般公共预算财政拨款支出{money(gpb)}万元，主要用于以下方面:"
        + "；".join(f"{row.name}{money(row.gpb_amount)}万元，占{pct(percent(row.gpb_amount, gpb))}%" for row in classes)
        + "。",
        "",
        "",
        "（图6：一般公共预算财政拨款支出决算结构）（饼状图）",
        "",
        f"{_mark(15377212)}（三）一般公共预算财政拨款支出决算具体情况",
        f"{_mark(15377213)}{year}年一般公共预算支出决算数为{money(gpb)}万元，完成预算{pct(percent(gpb, model.gpb_budget))}%。其中：",
    ]
    for number, item in enumerate(model.items, start=1):
        if not item.gpb_amount:
            continue
        path = f"{item.lei_name}（类）{item.kuan_name}（款）{item.name}（项）"
        if item.budget == item.gpb_amount:
            tail = "完成预算100%，决算数等于预算数。"
        else:
            tail = (
                f"完成预算{pct(percent(item.gpb_amount, item.budget))}%，决算数小于预算数的主要原因是"
                f"{reasons[3 + number % 3]}。"
            )
        lines.append(
            f"{number}.{path}:年初预算为{money(item.budget)}万元，支出决算为{money(item.gpb_amount)}万元，{tail}"
        )
    lines += _basic(model) + _sangong(model) + _other(model)
    return lines


def _basic(model: DepartmentYear) -> list[str]:
    return [
        f"{_mark(15396608)}六、一般公共预算财政拨款基本支出决算情况说明\t",
        f"{_mark(15377215)}{model.year}年一般公共预算财政拨款基本支出{money(model.basic)}万元，其中：",
        f"人员经费{money(model.personnel)}万元，主要包括：{PERSONNEL_COMPONENTS}。",
        f"　　公用经费{money(model.public)}万元，主要包括：{PUBLIC_COMPONENTS}。",
    ]


def _sangong(model: DepartmentYear) -> list[str]:
    year = model.year
    final, budget, prior = model.sangong, model.sangong_budget, model.prior
    total = final.total
    prior_total = Decimal(prior.sangong_total).scaleb(-2)
    prior_reception = Decimal(prior.reception).scaleb(-2)
    vehicles_bought = 1 if final.vehicle_purchase else 0
    return [
        f"{_mark(6355)}七、“三公”经费财政拨款支出决算情况说明",
        f"{_mark(15377216)}（一）“三公”经费财政拨款支出决算总体情况说明",
        f"{_mark(15377217)}{year}年“三公”经费财政拨款支出决算为{money(total)}万元，完成预算"
        f"{pct(percent(total, budget.total))}%，{_change(total, prior_total, year, '')}。",
        "（二）“三公”经费财政拨款支出决算具体情况说明",
        f"{year}年“三公”经费财政拨款支出决算中，因公出国（境）费支出决算{money(final.abroad)}万元，占"
        f"{pct(percent(final.abroad, total))}%；公务用车购置及运行维护费支出决算{money(final.vehicle)}万元，占"
        f"{pct(percent(final.vehicle, total))}%；公务接待费支出决算{money(final.reception)}万元，占"
        f"{pct(percent(final.reception, total))}%。具体情况如下：",
        "",
        "（图7：“三公”经费财政拨款支出结构）（饼状图）",
        f"1.因公出国（境）经费支出{money(final.abroad)}万元，完成预算{pct(percent(final.abroad, budget.abroad))}%。"
        f"全年安排因公出国（境）团组{1 if final.abroad else 0}次，出国（境）{2 if final.abroad else 0}人。",
        f"2.公务用车购置及运行维护费支出{money(final.vehicle)}万元。完成预算{pct(percent(final.vehicle, budget.vehicle))}%。",
        f"其中：公务用车购置支出{money(final.vehicle_purchase)}万元。全年按规定更新购置公务用车{vehicles_bought}辆，"
        f"其中：轿车{vehicles_bought}辆、金额{money(final.vehicle_purchase)}万元。截至{year}年12月底，单位共有公务用车"
        f"{model.vehicles}辆，其中：轿车{model.vehicles}辆、越野车0辆、载客汽车0辆。",
        f"公务用车运行维护费支出{money(final.vehicle_operation)}万元。",
        f"3.公务接待费支出{money(final.reception)}万元，完成预算{pct(percent(final.reception, budget.reception))}%。"
        f"公务接待费支出决算比{year - 1}年{_delta_words(final.reception, prior_reception)}。",
        f"国内公务接待支出{money(final.reception)}万元，主要用于执行公务、开展业务活动开支的交通费、住宿费、用餐费等。",
        "外事接待支出0万元，外事接待0批次，0人，共计支出0万元。",
    ]


def _delta_words(current: Decimal, prior: Decimal) -> str:
    difference = current - prior
    if not difference:
        return "持平"
    verb, trend = ("增加", "增长") if difference > 0 else ("减少", "下降")
    return f"{verb}{money(abs(difference))}万元，{trend}{pct(percent(abs(difference), prior))}%"


def _other(model: DepartmentYear) -> list[str]:
    year = model.year
    short = model.department.short_name
    prior_operating = Decimal(model.prior.operating_cost).scaleb(-2)
    procurement = model.procurement_goods + model.procurement_works + model.procurement_services
    projects = model.projects
    names = "、".join(f"“{p.name}”" for p in projects)
    lines = [
        f"{_mark(22103)}八、政府性基金预算支出决算情况说明",
        f"{year}年度政府性基金预算拨款支出0万元。",
        f"{_mark(1602)}九、国有资本经营预算支出决算情况说明",
        f"{_mark(15396612)}{year}年度国有资本经营预算拨款支出0万元。",
        "",
        f"{_mark(13452)}十、其他重要事项的情况说明",
        f"{_mark(15377222)}（一）机关运行经费支出情况",
        f"{_mark(15377223)}{year}年度，{short}机关运行经费支出{money(model.operating_cost)}万元，比{year - 1}年"
        f"{_delta_words(model.operating_cost, prior_operating)}。变动的主要原因是{model.reasons[4]}。",
        "（二）政府采购支出情况",
        f"{_mark(15377224)}{year}年度，{short}政府采购支出总额{money(procurement)}万元，其中：政府采购货物支出"
        f"{money(model.procurement_goods)}万元、政府采购工程支出{money(model.procurement_works)}万元、政府采购服务支出"
        f"{money(model.procurement_services)}万元。授予中小企业合同金额{money(model.procurement_sme)}万元，占政府采购支出总额的"
        f"{pct(percent(model.procurement_sme, procurement))}%。",
        "（三）国有资产占有使用情况",
        f"截至{year}年12月31日，{short}共有车辆{model.vehicles}辆，其中：主要领导干部用车0辆、机要通信用车0辆、"
        f"应急保障用车0辆、其他用车{model.vehicles}辆。单价100万元以上设备{model.equipment}台（套）。",
        f"{_mark(15396613)}（四）预算绩效管理情况",
        f"根据预算绩效管理要求，本单位在{year}年度预算编制阶段，组织对{names}等{len(projects)}个项目开展了预算事前绩效评估，"
        f"对{len(projects)}个项目编制了绩效目标，预算执行过程中，选取{len(projects)}个项目开展绩效监控。",
    ]
    if projects:
        scores = "；".join(f"“{p.name}”专项预算项目绩效自评得分为{p.score}分" for p in projects)
        lines.append(
            f"组织对{year}年度一般公共预算全面开展绩效自评，其中，{short}部门整体绩效自评得分为"
            f"{max(p.score for p in projects)}分；{scores}。"
        )
    lines += ["", ""]
    return lines


def _glossary(model: DepartmentYear) -> list[str]:
    lines = [f"第3部分 {_mark(22806)}名词解释", ""]
    lines += [f"{number}.{text}" for number, text in enumerate(GLOSSARY, start=1)]
    return lines


def _attachments(model: DepartmentYear) -> list[str]:
    """附表：部门预算项目支出绩效自评表, one per project, as tab-led cells."""
    if not model.projects:
        return []
    lines = [" 第四部分 附件", "", f"附表：部门预算项目支出绩效自评表（{model.year}年度）"]
    name = model.department.name
    for project in model.projects:
        rows = [
            [f"部门预算项目支出绩效自评表（{model.year}年度）"],
            ["项目名称", f"{project.code}-{project.name}"],
            ["主管部门", f"{name}部门", "实施单位 （盖章）", name],
            [
                "预算执行情况（10分）",
                "年度预算数（万元）",
                "年初预算",
                "调整后预算数",
                "预算执行数",
                "预算执行率",
                "权重",
                "得分",
            ],
            [
                "",
                "总额",
                f"{project.budget}",
                f"{project.budget}",
                f"{project.executed}",
                f"{percent(project.executed, project.budget)}%",
                "10",
                "10",
            ],
            [
                "绩效指标（90分）",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "指标值",
                "度量单位",
                "完成值",
                "权重",
                "得分",
            ],
            ["", "产出指标", "数量指标", "完成项目任务", "≥", "100", "%", "100", "30", "30"],
            ["", "效益指标", "社会效益指标", "服务对象受益情况", "定性", "优", "", "优", "30", f"{project.score - 70}"],
            ["", "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "95", "%", "96", "30", "30"],
            ["合计", "100", f"{project.score}"],
            ["评价结论", "严格执行相关政策，按时足额支付，预算编制科学合理。"],
        ]
        lines.append("")
        for row in rows:
            lines += [f"\t{cell}" for cell in row]
            lines.append("")
    return lines
