-- One row per input file: parsed, warned or rejected, and why.
select
    l.source_file,
    l.sha256,
    l.format,
    l.size_bytes,
    l.page_count,
    l.status,
    l.reason,
    l.reason_zh,
    d.department_id,
    d.fiscal_year,
    d.phase,
    l.figure_count,
    l.warning_count,
    l.document_id
from {{ ref('stg_ingest_log') }} as l
left join {{ ref('int_documents') }} as d using (document_id)
