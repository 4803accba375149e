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
        department_short_name,
        parent_department,
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
        identity_quote
    from source
)

select * from renamed
