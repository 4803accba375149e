with source as (
    select * from {{ ref('ref_function_code') }}
),

renamed as (
    select
        code::varchar as code,
        level,
        name,
        nullif(parent_code::varchar, '') as parent_code,
        valid_from,
        valid_to,
        source
    from source
)

select * from renamed
