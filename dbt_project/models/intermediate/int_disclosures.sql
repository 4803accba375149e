-- One row per disclosure (department × fiscal year × phase × scope), its source files listed.
with documents as (
    select * from {{ ref('int_documents') }}
),

disclosures as (
    select
        disclosure_id,
        disclosure_department_id as department_id,
        min(department_name) as department_name,
        fiscal_year,
        coalesce(phase, 'unknown') as phase,
        coalesce(scope, 'department') as scope,
        string_agg(source_file, '; ' order by source_file) as source_files,
        count(*) as document_count
    from documents
    group by all
)

select * from disclosures
