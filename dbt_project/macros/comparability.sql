{#- The priority of the first wording of seeds/ref_comparability_phrase.csv (kind
    definition_changed: 口径发生调整, 无可比性 …) that `text` matches, NULL when none does; each
    pattern is written into the SQL as a literal (macros/seed_literals.sql). No such wording: NULL
    (a CASE without a WHEN is no SQL). -#}
{% macro definition_changed_priority(text) -%}
    {%- set rows = seed_rows_at_compile_time(
        ref('ref_comparability_phrase'), 'ref_comparability_phrase',
        "priority, pattern", "where kind = 'definition_changed' order by priority"
    ) -%}
    {%- if rows | length == 0 %}
    null::integer
    {%- else %}
    case
    {%- for row in rows %}
        when regexp_matches({{ text }}, {{ sql_string(row['pattern']) }}) then {{ row['priority'] }}
    {%- endfor %}
        else null::integer
    end
    {%- endif %}
{%- endmacro %}
