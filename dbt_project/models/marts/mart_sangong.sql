-- One row per disclosure that states any “三公”经费 figure: the total and its parts (因公出国（境）,
-- 公务用车购置及运行维护 with 购置 and 运行维护, 公务接待), each part's share of the total, and for a
-- 决算 the 预算 it executes, like for like: the 预算 document of the same department, year, scope and
-- consolidation where one is loaded, else the 年初预算 the 决算 itself states. The total is the one the
-- document prints; where it prints the three parts and no total read (a table with a 小计 the parser
-- missed), the sum of the parts, marked total_source = 'sum of parts'.
{%- set parts = [
    'sangong_abroad', 'sangong_vehicle', 'sangong_vehicle_purchase', 'sangong_vehicle_operation', 'sangong_reception',
] %}
with metrics as (
    select * from {{ ref('int_disclosure_metrics') }}
    where qualifier = '' and unit = '万元' and metric like 'sangong%'
        and metric in (
            'sangong_total',
            {%- for part in parts %}
                '{{ part }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
        and measure in ('amount', 'budget_amount')
),

pivoted as (
    select
        disclosure_id,
        {% for metric in ['sangong_total'] + parts %}
            max(value) filter (where metric = '{{ metric }}' and measure = 'amount') as {{ metric }},
            max(value) filter (
                where metric = '{{ metric }}' and measure = 'budget_amount'
            ) as {{ metric }}_stated_budget,
        {% endfor %}
        arg_min(
            struct_pack(source_file, source_locator, quote),
            (metric <> 'sangong_total', source_locator, metric, source_file)
        )
        filter (where measure = 'amount') as first_statement
    from metrics
    group by disclosure_id
),

totalled as (
    select
        *,
        sangong_abroad + sangong_vehicle + sangong_reception as parts_sum,
        coalesce(sangong_total, sangong_abroad + sangong_vehicle + sangong_reception) as total,
        case
            when sangong_total is not null then 'stated'
            when sangong_abroad + sangong_vehicle + sangong_reception is not null then 'sum of parts'
        end as total_source
    from pivoted
    where coalesce(sangong_total, sangong_abroad, sangong_vehicle, sangong_reception) is not null
),

described as (
    select t.*, p.* exclude (disclosure_id)
    from totalled as t
    inner join {{ ref('mart_peer_disclosure') }} as p using (disclosure_id)
),

-- the 预算 of a 决算: same department, year, scope and consolidation
budgets as (
    select
        department_id, fiscal_year, scope, consolidation = 'own_level' as is_own_level,
        disclosure_id as budget_disclosure_id, verdict as budget_verdict,
        total as budget_total, sangong_abroad as budget_abroad, sangong_vehicle as budget_vehicle,
        sangong_reception as budget_reception
    from described
    where phase = 'budget'
)

select
    d.disclosure_id,
    d.department_id,
    d.department_name,
    d.department_type,
    d.place,
    d.admin_level,
    d.fiscal_year,
    d.phase,
    d.scope,
    d.consolidation,
    d.comparison_basis,
    d.comparison_basis_zh,
    d.peer_group,
    d.verdict,
    d.total as sangong_total,
    d.total_source,
    d.sangong_abroad,
    d.sangong_vehicle,
    d.sangong_vehicle_purchase,
    d.sangong_vehicle_operation,
    d.sangong_reception,
    {{ safe_decimal('d.sangong_abroad / nullif(d.total, 0) * 100') }} as abroad_share_pct,
    {{ safe_decimal('d.sangong_vehicle / nullif(d.total, 0) * 100') }} as vehicle_share_pct,
    {{ safe_decimal('d.sangong_reception / nullif(d.total, 0) * 100') }} as reception_share_pct,
    case
        when d.phase <> 'final' then null
        when b.budget_disclosure_id is not null then 'budget document'
        when d.sangong_total_stated_budget is not null then 'stated in final'
    end as budget_source,
    case when d.phase = 'final' then coalesce(b.budget_total, d.sangong_total_stated_budget) end as budget_total,
    case when d.phase = 'final' then coalesce(b.budget_abroad, d.sangong_abroad_stated_budget) end as budget_abroad,
    case when d.phase = 'final' then coalesce(b.budget_vehicle, d.sangong_vehicle_stated_budget) end as budget_vehicle,
    case
        when d.phase = 'final' then coalesce(b.budget_reception, d.sangong_reception_stated_budget)
    end as budget_reception,
    case when d.phase = 'final' then b.budget_disclosure_id end as budget_disclosure_id,
    case
        when d.phase = 'final'
            then coalesce(b.budget_verdict, case when d.sangong_total_stated_budget is not null then d.verdict end)
    end as budget_verdict,
    d.first_statement.source_file,
    d.first_statement.source_locator,
    d.first_statement.quote
from described as d
left join budgets as b
on d.phase = 'final' and b.department_id = d.department_id and b.fiscal_year = d.fiscal_year
    and b.scope = d.scope and b.is_own_level = (d.consolidation = 'own_level')
