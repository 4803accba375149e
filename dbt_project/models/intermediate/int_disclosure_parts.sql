-- One row per disclosure × standard part of its phase (tables and narrative sections): whether
-- the disclosure has it, and where. mart_disclosure_completeness shows the grid;
-- int_disclosure_completeness scores it per disclosure.
with disclosures as (
    select * from {{ ref('int_disclosures') }}
),

parts as (
    select * from {{ ref('stg_ref_standard_part') }}
),

found as (
    -- where each part is first found (a heading printed twice, or in two documents, is one part)
    select
        d.disclosure_id,
        s.kind,
        s.section,
        arg_min(d.source_file, struct_pack(d.source_file, s.section_no)) as source_file,
        arg_min(s.source_locator, struct_pack(d.source_file, s.section_no)) as source_locator
    from {{ ref('stg_document_sections') }} as s
    inner join {{ ref('int_documents') }} as d using (document_id)
    group by all
),

grid as (
    select
        d.disclosure_id,
        d.department_id,
        d.department_name,
        d.fiscal_year,
        d.phase,
        d.scope,
        p.kind,
        p.section,
        p.name_zh,
        f.section is not null as is_present,
        f.source_file,
        f.source_locator
    from disclosures as d
    inner join parts as p on p.phase = d.phase
    left join found as f on f.disclosure_id = d.disclosure_id and f.kind = p.kind and f.section = p.section
)

select * from grid
