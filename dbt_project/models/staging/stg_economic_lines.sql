-- The source is read as text (macros/extracted.sql): an amount no DECIMAL(18, 6) can hold is NULL
-- here and named in unreadable_values, never a failed build.
with source as (
    select * from {{ extracted_as_text('economic_lines') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        line_no::integer as line_no,
        ---------- statement
        statement,
        basis,
        ---------- classification
        coalesce(printed_code, '') as printed_code,
        coalesce(raw_label, '') as raw_label,
        code,
        level,
        official_name,
        match_method,
        ---------- numerics (万元)
        {{ decimal_from_text('amount') }} as amount,
        printed_unit,
        {{ unreadable_values(['amount']) }} as unreadable_values,
        ---------- provenance
        locator as source_locator,
        quote
    from source
)

select * from renamed
