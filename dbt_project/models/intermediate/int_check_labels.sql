-- Label and code disagree: one code printed with two different names in one disclosure
-- (e.g. the table and the narrative), or a line whose printed code and whose name point to
-- different codes (a 项 under the wrong 款), as ingest noted it.
with lines as (
    select
        *,
        regexp_replace(
            regexp_replace(
                regexp_extract(raw_label, '([^（）()]*)(?:（[类款项]）)?\s*$', 1),
                '\s', '', 'g'
            ),
            '支出$', ''
        ) as label_name
    from {{ ref('int_function_lines') }}
    where code is not null and raw_label <> ''
),

names_per_code as (
    select
        disclosure_id,
        code,
        count(distinct label_name) as name_count,
        string_agg(distinct raw_label, ' / ' order by raw_label) as labels,
        min(source_file) as source_file,
        min(source_locator) as source_locator
    from lines
    where label_name <> ''
    group by all
    having count(distinct label_name) > 1
),

noted as (
    select d.disclosure_id, w.message, d.source_file, w.source_locator
    from {{ ref('stg_extraction_warnings') }} as w
    inner join {{ ref('int_documents') }} as d using (document_id)
    where w.kind = 'code_label_mismatch'
)

select
    {{ check_row(
        'code_with_two_names',
        severity="'warn'",
        expected='null::decimal(18, 6)',
        actual='null::decimal(18, 6)',
        difference='null::decimal(18, 6)',
        message="'code ' || code || ' is printed with ' || name_count || ' names: ' || labels",
    ) }}
from names_per_code

union all

select
    {{ check_row('code_label_mismatch', severity="'warn'", expected='null', actual='null', difference='null',
                 message='message') }}
from noted
