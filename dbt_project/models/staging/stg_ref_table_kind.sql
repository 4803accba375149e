with source as (
    select * from {{ ref('ref_table_kind') }}
),

renamed as (
    select
        kind,
        nullif(basis, '') as basis,
        nullif(total_metric, '') as total_metric,
        nullif(part_final, '') as part_final,
        nullif(part_budget, '') as part_budget,
        read_as,
        name_zh,
        description
    from source
)

select * from renamed
