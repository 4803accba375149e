-- Per disclosure: which standard parts (tables and narrative sections of its phase) it has,
-- and score = share present. One row per disclosure × standard part, the score repeated.
with disclosures as (
    select * from {{ ref('int_disclosures') }}
),

parts as (
    select * from {{ ref('stg_ref_standard_part') }}
),

found as (
    select distinct d.disclosure_id, s.kind, s.section, s.source_locator, d.source_file
    from {{ ref('stg_document_sections') }} as s
    inner join {{ ref('int_documents') }} as d using (document_id)
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

select
    *,
    round(avg(case when is_present then 1.0 else 0.0 end) over (partition by disclosure_id), 4) as completeness_score,
    count(*) filter (where is_present) over (partition by disclosure_id) as parts_present,
    count(*) over (partition by disclosure_id) as parts_expected
from grid
