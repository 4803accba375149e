with source as (
    select * from {{ ref('ref_column_role') }}
),

renamed as (
    select
        priority,
        role,
        pattern,
        first_seen,
        description
    from source
)

select * from renamed
