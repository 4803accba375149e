with source as (
    select * from {{ ref('ref_metric') }}
),

renamed as (
    select
        metric,
        name_zh,
        unit_kind,
        nullif(parent_metric, '') as parent_metric,
        description
    from source
)

select * from renamed
