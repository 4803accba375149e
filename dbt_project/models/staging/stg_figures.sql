-- The source is read as text (macros/extracted.sql): a value no DECIMAL(18, 6) can hold is NULL
-- here and named in unreadable_values, never a failed build.
with source as (
    select * from {{ extracted_as_text('figures') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        figure_no::integer as figure_no,
        ---------- what is measured
        section,
        metric,
        coalesce(qualifier, '') as qualifier,
        measure,
        ---------- numerics
        {{ decimal_from_text('value') }} as value,
        unit,
        printed_value,
        coalesce(printed_unit, '') as printed_unit,
        coalesce(text, '') as stated_text,
        {{ unreadable_values(['value']) }} as unreadable_values,
        ---------- provenance
        locator as source_locator,
        quote
    from source
)

select * from renamed
