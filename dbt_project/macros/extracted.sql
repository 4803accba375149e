{#- Reading the extracted seeds (seeds/extracted/*.csv) so that one value of one document never
    fails the build: every column is read as text and the staging model types it. A decimal that
    DECIMAL(18, 6) cannot hold (digits of codes run together, "123456789012345678901234") becomes
    NULL and is named in the row's `unreadable_values`, which int_check_amounts reports as a
    warn finding with the row's quote. Integers and text are our own code's (line numbers, ids)
    and keep a plain cast: a failure there is a defect of ingest, and should stop the build. -#}

{#- read_csv of a source of `extracted`, every column varchar, in the source's order (the source
    definition, generated from ingest/records.py, stays the one list of columns). -#}
{% macro extracted_as_text(table_name) -%}
    {%- if execute -%}
        {%- set node = graph.sources['source.' ~ project_name ~ '.extracted.' ~ table_name] -%}
        read_csv('{{ env_var('JUESUAN_EXTRACTED_SEEDS', '../seeds/extracted') }}/{{ table_name }}.csv',
            header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
            columns = { {%- for column in node.columns.values() -%}
                '{{ column.name }}': 'varchar'{{ ', ' if not loop.last }}
            {%- endfor -%} })
    {%- else -%}
        {#- at parse time: records the dependency on the source -#}
        {{ source('extracted', table_name) }}
    {%- endif -%}
{%- endmacro %}

{#- A decimal read from text: NULL when empty or when DECIMAL(18, 6) cannot hold it. -#}
{% macro decimal_from_text(column) -%}
    try_cast(nullif(trim({{ column }}), '') as decimal(18, 6))
{%- endmacro %}

{#- 'amount 123456789012345678901234; basic_amount x' for the columns whose text is no decimal, else NULL. -#}
{% macro unreadable_values(columns) -%}
    nullif(concat_ws('; '
        {%- for column in columns %},
        case when nullif(trim({{ column }}), '') is not null and {{ decimal_from_text(column) }} is null
            then '{{ column }} ' || {{ column }} end
        {%- endfor %}), '')
{%- endmacro %}

{#- A derived ratio or share as DECIMAL(18, scale), NULL when it cannot be held (a share of a
    total of 0.000001 万元): a ratio of a misread figure never stops the build. -#}
{% macro safe_decimal(expression, scale=2) -%}
    try_cast(round({{ expression }}, {{ scale }}) as decimal(18, {{ scale }}))
{%- endmacro %}
