with source as (
    select * from {{ source('extracted', 'document_sections') }}
),

renamed as (
    select
        document_id,
        section_no,
        kind,
        section,
        title,
        locator as source_locator
    from source
)

select * from renamed
