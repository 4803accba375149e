-- Budget against final, per department × year × scope × item (a headline metric such as
-- sangong_total, operating_cost, the totals; or a function code per basis).
-- The budget side comes from a 预算 disclosure of the same department and year
-- (budget_source = 'budget document') or from the 年初预算 the 决算 itself states
-- (budget_source = 'stated in final'); each side carries its file and locator.
with disclosures as (
    select * from {{ ref('int_disclosures') }}
),

metrics as (
    select
        d.department_id, d.department_name, d.fiscal_year, d.phase, d.scope,
        'metric' as item_type,
        m.metric as item,
        m.measure,
        m.value,
        m.source_file,
        m.source_locator
    from {{ ref('int_disclosure_metrics') }} as m
    inner join disclosures as d using (disclosure_id)
    inner join {{ ref('stg_ref_metric') }} as r on r.metric = m.metric and r.unit_kind = 'money'
    where m.qualifier = '' and m.measure in ('amount', 'budget_amount') and m.unit = '万元'
),

functions as (
    select
        department_id, department_name, fiscal_year, phase, scope,
        'function' as item_type,
        basis || ':' || code as item,
        'amount' as measure,
        amount as value,
        source_file,
        source_locator
    from {{ ref('fct_function_amount') }}
    union all
    select
        department_id, department_name, fiscal_year, phase, scope,
        'function', basis || ':' || code, 'budget_amount', budget_amount, source_file, source_locator
    from {{ ref('fct_function_amount') }}
    where budget_amount is not null
),

-- not materialized: each of finals, stated_budgets and budget_documents reads only its phase and
-- measure; kept whole for the three, items spilled (100,000 documents: 1.4 GB)
items as not materialized (
    select * from metrics
    union all
    select * from functions
),

finals as (
    select * from items
    where phase = 'final' and measure = 'amount'
),

stated_budgets as (
    select * from items
    where phase = 'final' and measure = 'budget_amount'
),

budget_documents as (
    select * from items
    where phase = 'budget' and measure = 'amount'
),

paired_years as (
    -- department-years with both a 决算 and a 预算 loaded
    select department_id, fiscal_year, scope
    from disclosures
    group by all
    having count(*) filter (where phase = 'final') > 0 and count(*) filter (where phase = 'budget') > 0
),

from_budget_documents as (
    select
        department_id, fiscal_year, scope, item_type, item,
        coalesce(f.department_name, b.department_name) as department_name,
        b.value as budget_amount,
        'budget document' as budget_source,
        b.source_file as budget_source_file,
        b.source_locator as budget_locator,
        f.value as final_amount,
        f.source_file as final_source_file,
        f.source_locator as final_locator
    from finals as f
    full outer join budget_documents as b using (department_id, fiscal_year, scope, item_type, item)
    inner join paired_years using (department_id, fiscal_year, scope)
),

from_final_statements as (
    select
        department_id, fiscal_year, scope, item_type, item,
        f.department_name,
        s.value as budget_amount,
        'stated in final' as budget_source,
        s.source_file as budget_source_file,
        s.source_locator as budget_locator,
        f.value as final_amount,
        f.source_file as final_source_file,
        f.source_locator as final_locator
    from finals as f
    inner join stated_budgets as s using (department_id, fiscal_year, scope, item_type, item)
),

paired as (
    select * from from_budget_documents
    union all
    select * from from_final_statements
)

select
    p.*,
    case
        when p.budget_amount <> 0 then {{ safe_decimal('p.final_amount / p.budget_amount * 100') }}
    end as execution_rate,
    coalesce(r.name_zh, f.name) as item_name
from paired as p
left join {{ ref('stg_ref_metric') }} as r on p.item_type = 'metric' and r.metric = p.item
left join {{ ref('dim_function') }} as f on p.item_type = 'function' and f.code = split_part(p.item, ':', 2)
