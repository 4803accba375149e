with source as (
    select * from {{ ref('ref_function_alias') }}
),

renamed as (
    select
        alias,
        code::varchar as code,
        valid_from,
        valid_to,
        source
    from source
)

select * from renamed
