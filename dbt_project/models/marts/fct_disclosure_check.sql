-- Every inconsistency the checks found, one row each, with the file and the page or line.
-- severity: info (rounding: ≤ 0.01 万元 per summed row), warn (a defect of the document).
-- The checks that quote their sources (check_quote_columns) give the quotes; the others NULL.
{%- set checks = [
    ('int_check_unit_slip', false),
    ('int_check_function_hierarchy', false),
    ('int_check_economic_hierarchy', false),
    ('int_check_function_total', true),
    ('int_check_identities', true),
    ('int_check_summaries', true),
    ('int_check_performance', false),
    ('int_check_restatement', true),
    ('int_check_stated_rates', false),
    ('int_check_labels', false),
    ('int_check_amounts', true),
    ('int_check_plausibility', true),
] %}
with checks as (
    {% for model, quoted in checks %}
        select
            {{ check_columns() }},
            {% if quoted %}
                {{ check_quote_columns() }}
            {%- else %}
                null::varchar as quote,
                null::varchar as other_source_file,
                null::varchar as other_source_locator,
                null::varchar as other_quote
            {%- endif %}
        from {{ ref(model) }}
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
    -- a sum of misread amounts may exceed DECIMAL(18, 6): NULL here, its value stays in the message
    try_cast(c.expected as decimal(18, 6)) as expected,
    try_cast(c.actual as decimal(18, 6)) as actual,
    try_cast(c.difference as decimal(18, 6)) as difference,
    c.message,
    c.source_file,
    c.source_locator,
    c.quote,
    c.other_source_file,
    c.other_source_locator,
    c.other_quote,
    c.disclosure_id
from checks as c
inner join {{ ref('int_disclosures') }} as d using (disclosure_id)
