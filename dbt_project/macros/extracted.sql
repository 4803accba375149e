{#- Reading the extracted seeds (seeds/extracted/*.csv) so that one value of one document never
    fails the build: every column is read as text and the staging model types it. A decimal that
    DECIMAL(18, 6) cannot hold (digits of codes run together, "123456789012345678901234") becomes
    NULL and is named in the row's `unreadable_values`, which int_check_amounts reports as a
    warn finding with the row's quote. Integers and text are our own code's (line numbers, ids)
    and keep a plain cast: a failure there is a defect of ingest, and should stop the build. -#}

{#- read_csv of a source of `extracted`, every column varchar, in the source's order (the source
    definition, generated from ingest/parse/records.py, stays the one list of columns). `figures.*csv`:
    figures.csv, or at scale its shards figures.0000.csv, ... in name order (ingest/run/seeds.py). -#}
{% macro extracted_as_text(table_name) -%}
    {%- if execute -%}
        {%- set node = graph.sources['source.' ~ project_name ~ '.extracted.' ~ table_name] -%}
        read_csv('{{ env_var('JUESUAN_EXTRACTED_SEEDS', '../seeds/extracted') }}/{{ table_name }}.*csv',
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

{#- The staging model of a seed of classified lines (function_lines, economic_lines): the columns
    every such line has, in one order, with the line's own decimals (``classification_decimals``
    beside the match, ``amounts`` in 万元, NULL and named in unreadable_values when unreadable) and
    text columns (``texts``, '' when empty) after its printed unit. -#}
{% macro stg_classified_lines(table_name, classification_decimals=[], amounts=['amount'], texts=[]) -%}
-- The source is read as text (macros/extracted.sql): an amount no DECIMAL(18, 6) can hold is NULL
-- here and named in unreadable_values, never a failed build.
with source as (
    select * from {{ extracted_as_text(table_name) }}
),

renamed as (
    select
        ---------- ids
        document_id,
        line_no::integer as line_no,
        ---------- statement
        statement,
        basis,
        ---------- classification
        coalesce(printed_code, '') as printed_code,
        coalesce(raw_label, '') as raw_label,
        code,
        level,
        official_name,
        match_method,
        {%- for column in classification_decimals %}
        {{ decimal_from_text(column) }} as {{ column }},
        {%- endfor %}
        ---------- numerics (万元)
        {%- for column in amounts %}
        {{ decimal_from_text(column) }} as {{ column }},
        {%- endfor %}
        printed_unit,
        {%- for column in texts %}
        coalesce({{ column }}, '') as {{ column }},
        {%- endfor %}
        {{ unreadable_values(amounts) }} as unreadable_values,
        ---------- provenance
        locator as source_locator,
        quote
    from source
)

select * from renamed
{%- endmacro %}
