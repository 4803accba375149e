-- Every inconsistency the checks found, one row each, with the file and the page or line.
-- severity: info (rounding: ≤ 0.01 万元 per summed row), warn (a defect of the document).
with checks as (
    {% for model in [
        'int_check_unit_slip',
        'int_check_function_hierarchy',
        'int_check_economic_hierarchy',
        'int_check_function_total',
        'int_check_identities',
        'int_check_performance',
        'int_check_restatement',
        'int_check_stated_rates',
        'int_check_labels',
    ] %}
    select {{ check_columns() }} from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    d.department_id,
    d.department_name,
    d.fiscal_year,
    d.phase,
    c.check_name,
    c.severity,
    c.expected::decimal(18, 6) as expected,
    c.actual::decimal(18, 6) as actual,
    c.difference::decimal(18, 6) as difference,
    c.message,
    c.source_file,
    c.source_locator,
    c.disclosure_id
from checks as c
inner join {{ ref('int_disclosures') }} as d using (disclosure_id)
