-- The source is read as text (macros/extracted.sql): a value no DECIMAL(18, 6) can hold is NULL
-- here and named in unreadable_values, never a failed build.
with source as (
    select * from {{ extracted_as_text('performance_indicators') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        project_no::integer as project_no,
        indicator_no::integer as indicator_no,
        ---------- indicator
        level1 as level1_name,
        level2 as level2_name,
        level3 as indicator_name,
        operator,
        target,
        unit,
        actual,
        ---------- numerics
        {{ decimal_from_text('weight') }} as weight,
        {{ decimal_from_text('score') }} as score,
        {{ unreadable_values(['weight', 'score']) }} as unreadable_values,
        ---------- provenance
        locator as source_locator
    from source
)

select * from renamed
