with source as (
    select * from {{ source('extracted', 'economic_lines') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        line_no,
        ---------- statement
        statement,
        basis,
        ---------- classification
        coalesce(printed_code, '') as printed_code,
        coalesce(raw_label, '') as raw_label,
        code,
        level,
        official_name,
        match_method,
        ---------- numerics (万元)
        amount,
        printed_unit,
        ---------- provenance
        locator as source_locator,
        quote
    from source
)

select * from renamed
