-- One row per department × year × phase × scope × basis × code (类, 款 and 项), in 万元.
with amounts as (
    select * from {{ ref('int_function_amounts') }}
),

disclosures as (
    select * from {{ ref('int_disclosures') }}
),

functions as (
    select * from {{ ref('dim_function') }}
)

select
    d.department_id,
    d.department_name,
    d.fiscal_year,
    d.phase,
    d.scope,
    a.basis,
    a.level,
    a.code,
    f.name,
    f.class_code,
    f.class_name,
    f.kuan_code,
    f.kuan_name,
    coalesce(a.raw_label, '') as raw_label,
    a.amount,
    a.basic_amount,
    a.project_amount,
    a.budget_amount,
    a.prior_amount,
    a.completion_pct,
    a.share_pct,
    a.stated_amount,
    a.rollup_amount,
    a.amount_source,
    a.reason,
    coalesce(a.source_file, d.source_files) as source_file,
    coalesce(a.source_locator, 'sum of ' || a.child_count || ' ' || a.rollup_from || ' lines') as source_locator,
    a.match_method,
    a.match_score,
    a.statement,
    d.disclosure_id
from amounts as a
inner join disclosures as d using (disclosure_id)
left join functions as f using (code)
