-- One row per disclosure × standard part of its phase (tables and narrative sections): whether
-- the disclosure has it, and where. mart_disclosure_completeness shows the grid;
-- int_disclosure_completeness scores it per disclosure.
with disclosures as (
    select * from {{ ref('int_disclosures') }}
),

parts as (
    select * from {{ ref('stg_ref_standard_part') }}
),

-- the files ranked by name (few rows): file rank and section_no packed into one BIGINT order exactly as
-- (source_file, section_no) do, and an aggregate on it is cheap (100,000 documents: arg_min on a struct
-- of the two took 3.1 s of this model's 3.6). The rank is this model's own, never stored (a delta
-- build recomputes a few departments alone, and ranks over those few order their files the same).
documents as (
    select
        document_id,
        disclosure_id,
        source_file,
        dense_rank() over (order by source_file) as file_rank
    from {{ ref('int_documents') }}
),

found as (
    -- where each part is first found (a heading printed twice, or in two documents, is one part);
    -- section_no is an INTEGER, never NULL nor negative (stg_document_sections.yml tests it)
    select
        d.disclosure_id,
        s.kind,
        s.section,
        arg_min(d.source_file, (d.file_rank << 32) | s.section_no) as source_file,
        arg_min(s.source_locator, (d.file_rank << 32) | s.section_no) as source_locator
    from {{ ref('stg_document_sections') }} as s
    inner join documents as d using (document_id)
    group by d.disclosure_id, s.kind, s.section
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
