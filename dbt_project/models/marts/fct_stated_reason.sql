-- Every reason a document gives (主要原因 …), one row per statement, with the figure it explains.
-- A narrow slice of fct_figure (measure = 'reason'): asking "why" reads these rows only.
select
    d.department_id,
    d.fiscal_year,
    d.phase,
    d.scope,
    f.section,
    f.metric,
    f.qualifier,
    f.stated_text as reason_text,
    f.source_file,
    f.source_locator,
    f.quote,
    f.document_id,
    f.figure_no,
    f.disclosure_id
from {{ ref('int_figures') }} as f
inner join {{ ref('int_disclosures') }} as d using (disclosure_id)
where f.measure = 'reason'
