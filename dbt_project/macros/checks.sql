{#- Rounding policy of the data checks (README, "Data checks"):
    a sum that misses by at most rounding_per_summed_row (0.01 万元, seeds/ref_amount_rule.csv) per
    summed row is rounding ('info'); anything larger is a defect worth a look ('warn'). -#}
{% macro rounding_severity(difference, summed_rows) -%}
    case when abs({{ difference }}) <= {{ amount_rule('rounding_per_summed_row') }} * greatest({{ summed_rows }}, 1)
        then 'info' else 'warn' end
{%- endmacro %}

{#- Half a unit of the last printed decimal: "45.72" → 0.005, "100" → 0.5. -#}
{% macro printed_tolerance(printed_value) -%}
    case
        when strpos({{ printed_value }}, '.') > 0
            then 0.5 / pow(10, length({{ printed_value }}) - strpos({{ printed_value }}, '.'))
        else 0.5
    end
{%- endmacro %}

{#- The same, in 万元, for a value printed in 元, 万元 or 亿元: "17,192" 万元 → 0.5, "171,915,169" 元 → 0.00005. -#}
{% macro printed_tolerance_wan(printed_value, printed_unit) -%}
    ({{ printed_tolerance(printed_value) }} * {{ unit_factor_to_wan(printed_unit) }})
{%- endmacro %}

{#- The columns every int_check_* model returns, in order. -#}
{% macro check_columns() -%}
    disclosure_id, check_name, severity, expected, actual, difference, message, source_file, source_locator
{%- endmacro %}

{#- The columns of the checks that quote their sources (the row's own quote, and for a check that
    compares two statements, the other statement's file, locator and quote); NULL for the others. -#}
{% macro check_quote_columns() -%}
    quote, other_source_file, other_source_locator, other_quote
{%- endmacro %}

{#- One finding of a check: the columns of check_columns(), in order, each given as SQL.
    ``check_name`` is the check's name (quoted here); ``difference`` is expected - actual unless
    given; ``quotes`` (quote, other_source_file, other_source_locator, other_quote), for the checks
    that quote their sources, adds the check_quote_columns(). -#}
{% macro check_row(check_name, severity, expected, actual, message, difference=none, disclosure_id='disclosure_id',
                   source_file='source_file', source_locator='source_locator', quotes=none) -%}
    {{ disclosure_id }} as disclosure_id,
    '{{ check_name }}' as check_name,
    {{ severity }} as severity,
    {{ expected }} as expected,
    {{ actual }} as actual,
    {{ difference if difference is not none else '(' ~ expected ~ ') - (' ~ actual ~ ')' }} as difference,
    {{ message }} as message,
    {{ source_file }} as source_file,
    {{ source_locator }} as source_locator
    {%- if quotes is not none %},
    {%- for expression in quotes %}
    {{ expression }} as {{ ['quote', 'other_source_file', 'other_source_locator', 'other_quote'][loop.index0] }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    {%- endif %}
{%- endmacro %}

