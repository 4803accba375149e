with source as (
    select * from {{ ref('ref_economic_code') }}
),

renamed as (
    select
        code::varchar as code,
        level,
        name,
        nullif(parent_code::varchar, '') as parent_code,
        valid_from::integer as valid_from,
        valid_to::integer as valid_to,
        source
    from source
)

select * from renamed
