{#- The roll-up of classified lines to their parent code: per disclosure, basis and parent, the sums
    of the children's amounts, how many children and how many printed rows stand behind them (the
    rounding a check of the roll-up allows). ``parent_code`` is the parent's code from a child's. -#}
{% macro rollup_of(children, parent_code) -%}
    select disclosure_id, basis, {{ parent_code }} as code, sum(amount) as rollup_amount,
           sum(basic_amount) as rollup_basic, sum(project_amount) as rollup_project, count(*) as child_count,
           sum(part_count) as rounding_rows
    from {{ children }}
    group by all
{%- endmacro %}

{#- The columns of a roll-up, in order (the three roll-ups of int_function_amounts share them). -#}
{% macro rollup_columns() -%}
    {{ return(['rollup_amount', 'rollup_basic', 'rollup_project', 'child_count', 'rounding_rows']) }}
{%- endmacro %}
