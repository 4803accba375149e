with source as (
    select * from {{ ref('ref_table_title') }}
),

renamed as (
    select
        priority,
        pattern,
        kind,
        first_seen,
        nullif(note, '') as note
    from source
)

select * from renamed
