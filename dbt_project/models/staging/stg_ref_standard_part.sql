with source as (
    select * from {{ ref('ref_standard_part') }}
),

renamed as (
    select
        phase,
        kind,
        section,
        name_zh
    from source
)

select * from renamed
