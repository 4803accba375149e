with source as (
    select * from {{ source('extracted', 'extraction_warnings') }}
),

renamed as (
    select
        document_id,
        warning_no,
        kind,
        message,
        locator as source_locator
    from source
)

select * from renamed
