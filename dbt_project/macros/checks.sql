{#- Rounding policy of the data checks (README, "Data checks"):
    a sum that misses by at most 0.01 万元 per summed row is rounding ('info');
    anything larger is a defect worth a look ('warn'). -#}
{% macro rounding_severity(difference, summed_rows) -%}
    case when abs({{ difference }}) <= 0.01 * greatest({{ summed_rows }}, 1) then 'info' else 'warn' end
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
    ({{ printed_tolerance(printed_value) }} * case {{ printed_unit }} when '元' then 0.0001 when '亿元' then 10000 else 1 end)
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
