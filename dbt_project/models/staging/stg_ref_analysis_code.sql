with source as (
    select * from {{ ref('ref_analysis_code') }}
),

renamed as (
    select
        item,
        classification,
        code,
        name_zh,
        description
    from source
)

select * from renamed
