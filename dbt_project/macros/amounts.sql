{#- How amounts are read and compared: the rows of seeds/ref_amount_rule.csv, which ingest reads
    too (ingest/parse/amounts.py). Each rule is written once, there.

    The rules are read from the loaded seed when a model is compiled and written into its SQL as
    literals: a scalar subquery per row would plan as a nested-loop join (tests/warehouse/
    test_query_plans.py), and the seed is a handful of rows. ref() is called outside the
    execute guard so that dbt knows every model using a rule depends on the seed. -#}

{% macro _amount_rule_rows() -%}
    {%- set dependency = ref('ref_amount_rule') -%}
    {%- if execute -%}
        {#- the loaded seed itself, also inside a unit test (where ref() names the test's fixture) -#}
        {%- set relation = adapter.get_relation(target.database, generate_schema_name('raw', none), 'ref_amount_rule') -%}
        {%- if relation is none -%}
            {{ exceptions.raise_compiler_error("ref_amount_rule is not loaded: run dbt seed (make build does)") }}
        {%- endif -%}
        {{ return(run_query("select rule, coalesce(unit, '') as unit, value::varchar as value from " ~ relation).rows) }}
    {%- else -%}
        {{ return([]) }}
    {%- endif -%}
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
    empty or not a money unit. -#}
{% macro unit_factor_to_wan(printed_unit) -%}
    case {{ printed_unit }}
    {%- for row in _amount_rule_rows() if row['rule'] == 'unit_factor' %}
        when '{{ row["unit"] }}' then cast('{{ row["value"] }}' as decimal(18, 6))
    {%- endfor %}
        else cast(1 as decimal(18, 6))
    end
{%- endmacro %}
