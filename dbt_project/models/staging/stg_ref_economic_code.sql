with source as (
    select * from {{ ref('ref_economic_code') }}
),

renamed as (
    select
        code::varchar as code,
        level,
        name,
        nullif(parent_code::varchar, '') as parent_code,
        source
    from source
)

select * from renamed
