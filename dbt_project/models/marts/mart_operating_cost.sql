-- One row per disclosure that states 机关运行经费, beside the 基本支出 and 公用经费 it is part of: its
-- shares of them, whether it lies above them beyond the rounding of the printed figures
-- (within_rounding: 213.28 万元 beside a 公用经费 of 2,132,777.54 元 is equal, not above), per staff where
-- the disclosure states its staffing, with the quote of the figure and the disclosure's verdict.
with metrics as (
    select * from {{ ref('int_disclosure_metrics') }}
    where qualifier = '' and measure = 'amount' and unit = '万元'
        and metric in ('operating_cost', 'basic_expenditure', 'public_expenditure', 'personnel_expenditure')
),

pivoted as (
    select
        disclosure_id,
        any_value(struct_pack(value, printed_value, printed_unit, source_file, source_locator, quote))
        filter (where metric = 'operating_cost') as cost,
        any_value(struct_pack(value, printed_value, printed_unit, source_locator))
        filter (where metric = 'basic_expenditure') as basic,
        any_value(struct_pack(value, printed_value, printed_unit, source_locator))
        filter (where metric = 'public_expenditure') as public,
        max(value) filter (where metric = 'personnel_expenditure') as personnel_expenditure
    from metrics
    group by disclosure_id
),

stated as (
    select * from pivoted
    where cost.value is not null
)

select
    p.disclosure_id,
    p.department_id,
    p.department_name,
    p.department_type,
    p.place,
    p.admin_level,
    p.fiscal_year,
    p.phase,
    p.scope,
    p.consolidation,
    p.comparison_basis,
    p.comparison_basis_zh,
    p.peer_group,
    p.verdict,
    s.cost.value as operating_cost,
    s.basic.value as basic_expenditure,
    s.public.value as public_expenditure,
    s.personnel_expenditure,
    {{ safe_decimal('s.cost.value / nullif(s.basic.value, 0) * 100') }} as share_of_basic_pct,
    {{ safe_decimal('s.cost.value / nullif(s.public.value, 0) * 100') }} as share_of_public_pct,
    case when s.basic.value is not null then {{ above_beyond_rounding('s.cost.value', 's.basic.value',
        printed_tolerance_wan('s.cost.printed_value', 's.cost.printed_unit'),
        printed_tolerance_wan('s.basic.printed_value', 's.basic.printed_unit')) }} end as is_above_basic,
    case when s.public.value is not null then {{ above_beyond_rounding('s.cost.value', 's.public.value',
        printed_tolerance_wan('s.cost.printed_value', 's.cost.printed_unit'),
        printed_tolerance_wan('s.public.printed_value', 's.public.printed_unit')) }} end as is_above_public,
    -- 0 printed: the unit has no 机关运行经费 (a 事业单位 has none by definition), not a low one
    s.cost.value = 0 as is_stated_zero,
    p.staff_actual,
    {{ safe_decimal('s.cost.value / nullif(p.staff_actual, 0)', 4) }} as per_staff,
    s.cost.printed_value || s.cost.printed_unit as printed,
    s.cost.source_file,
    s.cost.source_locator,
    s.cost.quote
from stated as s
inner join {{ ref('mart_peer_disclosure') }} as p using (disclosure_id)
