with source as (
    select * from {{ ref('ref_plausibility_rule') }}
),

renamed as (
    select
        check_name,
        nullif(metric, '') as metric,
        nullif(bound_metric, '') as bound_metric,
        limit_value,
        nullif(first_seen, '') as first_seen,
        description
    from source
)

select * from renamed
