with source as (
    select * from {{ source('extracted', 'figures') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        figure_no,
        ---------- what is measured
        section,
        metric,
        coalesce(qualifier, '') as qualifier,
        measure,
        ---------- numerics
        value,
        unit,
        printed_value,
        coalesce(printed_unit, '') as printed_unit,
        coalesce(text, '') as stated_text,
        ---------- provenance
        locator as source_locator,
        quote
    from source
)

select * from renamed
