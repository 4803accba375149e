-- One row per disclosure (department × fiscal year × phase × scope) with its headline figures in 万元.
with disclosures as (
    select * from {{ ref('int_disclosures') }}
),

metrics as (
    select * from {{ ref('int_disclosure_metrics') }}
),

staff as (
    select
        disclosure_id,
        coalesce(
            max(value) filter (where metric = 'staff_authorized' and qualifier = ''),
            sum(value) filter (where metric = 'staff_authorized' and qualifier <> '')
        ) as staff_authorized,
        max(value) filter (where metric = 'staff_actual') as staff_actual
    from metrics
    where measure = 'count'
    group by disclosure_id
),

pivoted as (
    select
        disclosure_id,
        {% for column, metric in [
            ('grand_total', 'grand_total'),
            ('total_income', 'income_total'),
            ('total_expenditure', 'expenditure_total'),
            ('basic_expenditure', 'basic_expenditure'),
            ('project_expenditure', 'project_expenditure'),
            ('personnel_expenditure', 'personnel_expenditure'),
            ('public_expenditure', 'public_expenditure'),
            ('gpb_expenditure', 'gpb_expenditure'),
            ('gpb_basic_expenditure', 'gpb_basic_expenditure'),
            ('sangong_total', 'sangong_total'),
            ('sangong_abroad', 'sangong_abroad'),
            ('sangong_vehicle', 'sangong_vehicle'),
            ('sangong_vehicle_purchase', 'sangong_vehicle_purchase'),
            ('sangong_vehicle_operation', 'sangong_vehicle_operation'),
            ('sangong_reception', 'sangong_reception'),
            ('operating_cost', 'operating_cost'),
            ('government_fund_expenditure', 'government_fund_expenditure'),
            ('state_capital_expenditure', 'state_capital_expenditure'),
        ] %}
            max(value) filter (where metric = '{{ metric }}' and qualifier = '' and measure = 'amount') as {{ column }},
        {% endfor %}
        max(value) filter (
            where metric = 'sangong_total' and qualifier = '' and measure = 'budget_amount'
        ) as sangong_total_budget,
        max(value) filter (where metric = 'department_self_score' and measure = 'score') as department_self_score
    from metrics
    group by disclosure_id
),

findings as (
    select
        disclosure_id,
        count(*) filter (where severity = 'warn') as warn_findings,
        count(*) filter (where severity = 'info') as info_findings
    from {{ ref('fct_disclosure_check') }}
    group by disclosure_id
),

unresolved as (
    -- a local item is resolved at its parent's level: listed in fct_unresolved_label, not counted here
    select
        disclosure_id,
        count(*) filter (where not coalesce(is_local_item, false)) as unresolved_labels,
        count(*) filter (where is_local_item) as local_items
    from {{ ref('fct_unresolved_label') }}
    group by disclosure_id
),

described as (
    select
        d.disclosure_id,
        d.department_id,
        d.department_name,
        d.fiscal_year,
        d.phase,
        d.scope,
        d.source_files,
        d.document_count,
        p.* exclude (disclosure_id),
        -- a count misread beyond any integer is NULL here, never a failed build
        try_cast(s.staff_authorized as integer) as staff_authorized,
        try_cast(s.staff_actual as integer) as staff_actual,
        c.completeness_score,
        c.parts_present,
        c.parts_expected,
        coalesce(f.warn_findings, 0) as warn_findings,
        coalesce(f.info_findings, 0) as info_findings,
        coalesce(u.unresolved_labels, 0) as unresolved_labels,
        coalesce(u.local_items, 0) as local_items
    from disclosures as d
    left join pivoted as p using (disclosure_id)
    left join staff as s using (disclosure_id)
    left join {{ ref('int_disclosure_completeness') }} as c using (disclosure_id)
    left join findings as f using (disclosure_id)
    left join unresolved as u using (disclosure_id)
)

select
    *,
    -- which figures to trust: a defect or an uncoded label (a local item is coded at its parent) first, then a disclosure missing
    -- more than a fifth of its phase's standard parts
    case
        when warn_findings > 0 or unresolved_labels > 0 then 'check first'
        when coalesce(completeness_score, 0) < 0.8 then 'incomplete'
        else 'trusted'
    end as verdict
from described
