{#- Models land in the schema their folder names (staging, intermediate, marts, raw),
    not in "<target>_<folder>": analysts query marts.fct_disclosure. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}
