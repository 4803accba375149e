with source as (
    select * from {{ source('extracted', 'performance_indicators') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        project_no,
        indicator_no,
        ---------- indicator
        level1 as level1_name,
        level2 as level2_name,
        level3 as indicator_name,
        operator,
        target,
        unit,
        actual,
        ---------- numerics
        weight,
        score,
        ---------- provenance
        locator as source_locator
    from source
)

select * from renamed
