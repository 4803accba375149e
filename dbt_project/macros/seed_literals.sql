{#- A small reference seed's rows, read from the loaded seed when a model is compiled, for the
    model to write them into its SQL as literals. Two reasons: a scalar subquery per row plans as a
    nested-loop join (tests/warehouse/test_query_plans.py), and a regular expression that is a
    column's value is compiled again for every row it is applied to, where a literal one is
    compiled once (fct_metric_yoy: 700,000 sentences at 100,000 documents).

    `dependency` is the model's ref() of the seed, taken by the caller outside any execute guard so
    that dbt knows the model depends on the seed; the rows come from the loaded seed itself, also
    inside a unit test (where ref() names the test's fixture). `where_and_order` follows the seed's
    name in the query. Returns [] at parse time. -#}
{% macro seed_rows_at_compile_time(dependency, seed_name, select_list, where_and_order='') -%}
    {%- if execute -%}
        {%- set relation = adapter.get_relation(target.database, generate_schema_name('raw', none), seed_name) -%}
        {%- if relation is none -%}
            {{ exceptions.raise_compiler_error(seed_name ~ " is not loaded: run dbt seed (make build does)") }}
        {%- endif -%}
        {{ return(run_query("select " ~ select_list ~ " from " ~ relation ~ " " ~ where_and_order).rows) }}
    {%- else -%}
        {{ return([]) }}
    {%- endif -%}
{%- endmacro %}

{#- A text as a SQL string literal. -#}
{% macro sql_string(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}
