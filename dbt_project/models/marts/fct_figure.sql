-- Every figure a document states, long form, with provenance (file, locator, quoted sentence).
-- A view: int_figures already holds every figure with its quote, and this adds only the
-- disclosure's department, year, phase and scope (a table copied 11 M wide rows at 100,000
-- documents, 13 s of the build and 1 GB of the warehouse, for the same content).
{{ config(materialized='view') }}

select
    d.department_id,
    d.fiscal_year,
    d.phase,
    d.scope,
    f.section,
    f.metric,
    f.qualifier,
    f.measure,
    f.resolved_value as value,
    f.unit,
    f.printed_value,
    f.printed_unit,
    f.is_suspected_unit_slip,
    f.is_confirmed_unit_slip,
    f.stated_text,
    f.source_file,
    f.source_locator,
    f.quote,
    f.document_id,
    f.figure_no,
    f.disclosure_id
from {{ ref('int_figures') }} as f
inner join {{ ref('int_disclosures') }} as d using (disclosure_id)
