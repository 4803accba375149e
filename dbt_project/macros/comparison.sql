{#- Like-for-like comparison: one rounding rule, one department-type rule, one consolidation rule.
    Written once here and called by every model that compares two figures or groups peers. -#}

{#- Two printed figures (or a printed figure and one computed from printed figures) are equal when
    their gap lies within the rounding of the digits printed: half a unit of the last printed digit
    on each side (tolerance_a, tolerance_b: printed_tolerance / printed_tolerance_wan of checks.sql).
    A figure computed from printed figures is first rounded to the digits it is compared at
    (rounded_as_printed) and then carries their half unit: "80.92%" stated beside 411.20 / 508.20 =
    80.913%, printed 80.91%, is equal (gap 0.01 ≤ 0.005 + 0.005), "63.75%" beside 63.7398% too, while
    "10.06%" beside 10.09% is not. 213.28 万元 (printed in 万元) beside 2,132,777.54 元 is equal (gap
    0.0022 ≤ 0.005 + 0.0000005).
    ROUNDING_SLACK absorbs the binary noise of a DOUBLE computed from DECIMALs. -#}
{% macro rounding_slack() -%}0.000000001{%- endmacro %}

{% macro within_rounding(a, b, tolerance_a, tolerance_b) -%}
    (abs(({{ a }}) - ({{ b }})) <= ({{ tolerance_a }}) + ({{ tolerance_b }}) + {{ rounding_slack() }})
{%- endmacro %}

{#- A figure computed from printed figures, rounded to the decimals another figure is printed with
    ("80.92" → 2), as the document would have printed it before comparing. -#}
{% macro printed_decimals(printed_value) -%}
    (case when strpos({{ printed_value }}, '.') > 0 then length({{ printed_value }}) - strpos({{ printed_value }}, '.') else 0 end)
{%- endmacro %}

{% macro rounded_as_printed(computed, printed_value) -%}
    round(({{ computed }})::double, {{ printed_decimals(printed_value) }}::integer)
{%- endmacro %}

{#- a strictly above b, beyond the rounding of both (the negation of "a ≤ b within rounding"). -#}
{% macro above_beyond_rounding(a, b, tolerance_a, tolerance_b) -%}
    (({{ a }}) > ({{ b }}) and not {{ within_rounding(a, b, tolerance_a, tolerance_b) }})
{%- endmacro %}

{#- The department type of each row of `relation` (a CTE name): the first rule of the seed
    ref_department_type, in priority order, whose pattern matches `name_expression` (NULL: no rule
    matches, the department is no member of any peer group). Each rule's pattern is written into the
    SQL as a literal (macros/seed_literals.sql), compiled once: a pattern that is a column's value is
    compiled again for every row (100,000 documents: 20,000 departments × 30 rules took 5 s on one
    core). No rules: every type is NULL (a CASE without a WHEN is no SQL). -#}
{% macro classify_department_type(relation, name_expression) -%}
    {%- set rules = seed_rows_at_compile_time(
        ref('ref_department_type'), 'ref_department_type',
        "priority, pattern, department_type", "order by priority, pattern"
    ) -%}
    select
        n.*,
        {%- if rules | length == 0 %}
        null::struct(priority integer, pattern varchar, department_type varchar) as type_rule
        {%- else %}
        case
        {%- for rule in rules %}
            when regexp_matches({{ name_expression }}, {{ sql_string(rule['pattern']) }})
                then struct_pack(
                    priority := {{ rule['priority'] }}::integer,
                    pattern := {{ sql_string(rule['pattern']) }},
                    department_type := {{ sql_string(rule['department_type']) }}
                )
        {%- endfor %}
        end as type_rule
        {%- endif %}
    from {{ relation }} as n
{%- endmacro %}

{#- One row per disclosure with its consolidation as its documents state it: own_level (（本级）, 机关:
    the department's own level alone), consolidated (汇总: with its subordinate units) or '' (not
    stated: a 部门预算 that does not say is the department with its units, int_documents' rule).
    own_level is part of the disclosure_id, so the two are never one disclosure. -#}
{% macro disclosure_consolidation() -%}
    select
        disclosure_id,
        case
            when bool_or(consolidation = 'own_level') then 'own_level'
            when bool_or(consolidation = 'consolidated') then 'consolidated'
            else ''
        end as consolidation
    from {{ ref('int_documents') }}
    group by disclosure_id
{%- endmacro %}

{#- Tukey's rule for outliers within a peer group: below Q1 − IQR_FENCE_FACTOR·IQR or above
    Q3 + IQR_FENCE_FACTOR·IQR (linear-interpolated quartiles), judged only in a group of at least
    IQR_MIN_DEPARTMENTS departments. -#}
{% macro iqr_fence_factor() -%}1.5{%- endmacro %}
{% macro iqr_min_departments() -%}4{%- endmacro %}
