{#- How amounts are read and compared: the rows of seeds/ref_amount_rule.csv, which ingest reads
    too (ingest/parse/amounts.py). Each rule is written once, there; models get its rows as
    literals (macros/seed_literals.sql: a scalar subquery per row would plan as a nested-loop
    join, tests/warehouse/test_query_plans.py). -#}

{% macro _amount_rule_rows() -%}
    {{ return(seed_rows_at_compile_time(
        ref('ref_amount_rule'), 'ref_amount_rule',
        "rule, coalesce(unit, '') as unit, value::varchar as value"
    )) }}
{%- endmacro %}

{#- A tolerance or limit in 万元: rounding_per_summed_row, same_amount, max_plausible_amount. -#}
{% macro amount_rule(rule) -%}
    {%- set found = [] -%}
    {%- for row in _amount_rule_rows() if row['rule'] == rule -%}{%- do found.append(row['value']) -%}{%- endfor -%}
    {%- if execute and found | length != 1 -%}
        {{ exceptions.raise_compiler_error("seeds/ref_amount_rule.csv: expected one row for rule '" ~ rule ~ "', found " ~ (found | length)) }}
    {%- endif -%}
    cast('{{ found[0] if found else 0 }}' as decimal(18, 6))
{%- endmacro %}

{#- The factor from a printed money unit to 万元 (元 0.0001, 亿元 10000); 1 when the unit is 万元,
    empty or not a money unit (no factors in the seed, as when a linter renders it: 1 for all, not a
    CASE without a WHEN, which is no SQL). -#}
{% macro unit_factor_to_wan(printed_unit) -%}
    {%- set factors = _amount_rule_rows() | selectattr('rule', 'equalto', 'unit_factor') | list -%}
    {%- if factors | length == 0 -%}
    cast(1 as decimal(18, 6))
    {%- else -%}
    case {{ printed_unit }}
    {%- for row in factors %}
        when '{{ row["unit"] }}' then cast('{{ row["value"] }}' as decimal(18, 6))
    {%- endfor %}
        else cast(1 as decimal(18, 6))
    end
    {%- endif -%}
{%- endmacro %}

{#- A figure's printed number read as 万元 (a suspected unit slip's other reading), with the sign of
    a stated decrease; NULL when the figure is not money. -#}
{% macro printed_as_wan(alias) -%}
    case
        when {{ alias }}.unit = '万元' then try_cast(replace({{ alias }}.printed_value, ',', '') as decimal(18, 6))
            * case when {{ alias }}.measure = 'change_amount' and {{ alias }}.value < 0 then -1 else 1 end
    end
{%- endmacro %}
