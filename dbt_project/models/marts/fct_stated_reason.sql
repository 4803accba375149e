-- Every reason a document gives (主要原因 …), one row per statement, with the figure it explains.
-- A narrow slice of fct_figure (measure = 'reason'): asking "why" reads these rows only.
select
    department_id,
    fiscal_year,
    phase,
    scope,
    section,
    metric,
    qualifier,
    stated_text as reason_text,
    source_file,
    source_locator,
    quote,
    document_id,
    figure_no,
    disclosure_id
from {{ ref('fct_figure') }}
where measure = 'reason'
