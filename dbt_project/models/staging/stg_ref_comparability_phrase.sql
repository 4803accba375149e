with source as (
    select * from {{ ref('ref_comparability_phrase') }}
),

renamed as (
    select
        priority,
        kind,
        pattern,
        first_seen,
        nullif(note, '') as note
    from source
)

select * from renamed
