with source as (
    select * from {{ source('extracted', 'documents') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        source_file,
        department_id,
        ---------- department
        department_name,
        name_as_printed,
        department_short_name,
        parent_department,
        consolidation,
        ---------- region
        province,
        city,
        county,
        adcode,
        admin_level,
        ---------- disclosure
        fiscal_year,
        phase,
        scope,
        printed_unit,
        ---------- provenance
        identity_locator,
        identity_quote,
        year_phase_locator,
        year_phase_quote,
        consolidation_locator,
        consolidation_quote,
        ---------- the disclosure's department: department_id, or unknown:<document_id>; written by
        ---------- ingest (ingest/parse/records.py DocumentRow), read by int_documents and the delta build
        disclosure_department_id
    from source
)

select * from renamed
