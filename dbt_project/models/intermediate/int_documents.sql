-- One row per parsed document with the disclosure it belongs to.
-- A disclosure is department × fiscal year × phase × scope: a narrative PDF and a tables
-- PDF of the same department-year-phase merge into one disclosure.
with documents as (
    select * from {{ ref('stg_documents') }}
),

keyed as (
    select
        *,
        -- ingest/delta.py plans a delta build with this same rule: change both or neither
        coalesce(department_id, 'unknown:' || document_id) as disclosure_department_id,
        concat_ws('|',
            coalesce(department_id, 'unknown:' || document_id),
            coalesce(fiscal_year::varchar, 'unknown'),
            coalesce(phase, 'unknown'),
            coalesce(scope, 'department')
        ) as disclosure_id
    from documents
)

select * from keyed
