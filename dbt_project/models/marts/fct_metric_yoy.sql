-- Year over year, per department, phase and metric: the prior value from the department's
-- own earlier disclosure ('own document') and/or from the comparative the later document
-- states ("与2022年相比…增加542.05万元" ⇒ prior = value − change: 'stated comparative').
-- When both exist and differ, both rows are kept and is_restated is true; is_preferred marks one
-- row per key (the own document's where there is one), for counting each change once.
with metrics as (
    select
        d.department_id,
        d.phase,
        d.scope,
        d.fiscal_year,
        m.metric,
        m.measure,
        m.value,
        m.source_file,
        m.source_locator
    from {{ ref('int_disclosure_metrics') }} as m
    inner join {{ ref('int_disclosures') }} as d using (disclosure_id)
    where m.qualifier = '' and m.measure in ('amount', 'change_amount') and d.fiscal_year is not null
),

function_metrics as (
    select
        department_id, phase, scope, fiscal_year,
        basis || ':' || code as metric,
        'amount' as measure,
        amount as value,
        source_file,
        source_locator
    from {{ ref('fct_function_amount') }}
    where fiscal_year is not null
),

values_now as (
    select * from metrics where measure = 'amount'
    union all
    select * from function_metrics
),

own as (
    select
        n.department_id, n.phase, n.scope, n.metric, n.fiscal_year, n.value,
        p.value as prior_value,
        'own document' as prior_source,
        n.source_file, n.source_locator
    from values_now as n
    inner join values_now as p
        on p.department_id = n.department_id and p.phase = n.phase and p.scope = n.scope
       and p.metric = n.metric and p.fiscal_year = n.fiscal_year - 1
),

stated as (
    select
        n.department_id, n.phase, n.scope, n.metric, n.fiscal_year, n.value,
        n.value - c.value as prior_value,
        'stated comparative' as prior_source,
        c.source_file, c.source_locator
    from metrics as n
    inner join metrics as c
        on c.department_id = n.department_id and c.phase = n.phase and c.scope = n.scope
       and c.metric = n.metric and c.fiscal_year = n.fiscal_year and c.measure = 'change_amount'
    where n.measure = 'amount'
),

both_sources as (
    select * from own
    union all
    select * from stated
)

select
    department_id,
    phase,
    scope,
    metric,
    fiscal_year,
    value,
    prior_value,
    value - prior_value as change,
    case when prior_value <> 0 then round((value - prior_value) / prior_value * 100, 2)::decimal(18, 2) end as change_pct,
    prior_source,
    count(distinct prior_value) over pair_key > 1 as is_restated,
    -- the pair to count when one per key is wanted: the own earlier document's, else the stated comparative
    row_number() over (pair_key order by prior_source <> 'own document') = 1 as is_preferred,
    source_file,
    source_locator
from both_sources
window pair_key as (partition by department_id, phase, scope, metric, fiscal_year)
-- stored in metric order: a notebook asking for a few metrics reads only their row groups
order by metric, department_id, fiscal_year, phase, scope
