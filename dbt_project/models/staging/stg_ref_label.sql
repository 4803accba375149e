with source as (
    select * from {{ ref('ref_label') }}
),

renamed as (
    select
        context,
        priority,
        pattern,
        nullif(target, '') as target,
        nullif(qualifier, '') as qualifier,
        first_seen,
        nullif(description, '') as description
    from source
)

select * from renamed
