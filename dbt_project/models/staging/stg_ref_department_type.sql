with source as (
    select * from {{ ref('ref_department_type') }}
),

renamed as (
    select
        priority,
        pattern,
        department_type,
        example,
        first_seen,
        nullif(note, '') as note
    from source
)

select * from renamed
