{{ config(materialized='view') }}
-- Labels no code could be given to (unknown or ambiguous): kept, never forced.
select
    d.department_id,
    d.fiscal_year,
    d.phase,
    d.disclosure_id,
    l.basis,
    l.statement,
    l.printed_code,
    l.raw_label,
    l.match_method,
    l.amount,
    l.source_file,
    l.source_locator,
    l.quote
from {{ ref('int_function_lines') }} as l
inner join {{ ref('int_disclosures') }} as d using (disclosure_id)
where l.code is null
union all
select
    d.department_id,
    d.fiscal_year,
    d.phase,
    d.disclosure_id,
    e.basis,
    e.statement,
    e.printed_code,
    e.raw_label,
    e.match_method,
    e.amount,
    doc.source_file,
    e.source_locator,
    e.quote
from {{ ref('stg_economic_lines') }} as e
inner join {{ ref('int_documents') }} as doc using (document_id)
inner join {{ ref('int_disclosures') }} as d on d.disclosure_id = doc.disclosure_id
where e.code is null
