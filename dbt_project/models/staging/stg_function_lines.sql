-- The source is read as text (macros/extracted.sql): an amount no DECIMAL(18, 6) can hold is NULL
-- here and named in unreadable_values, never a failed build.
with source as (
    select * from {{ extracted_as_text('function_lines') }}
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
        {{ decimal_from_text('match_score') }} as match_score,
        ---------- numerics (万元)
        {{ decimal_from_text('amount') }} as amount,
        {{ decimal_from_text('basic_amount') }} as basic_amount,
        {{ decimal_from_text('project_amount') }} as project_amount,
        {{ decimal_from_text('budget_amount') }} as budget_amount,
        {{ decimal_from_text('prior_amount') }} as prior_amount,
        {{ decimal_from_text('completion_pct') }} as completion_pct,
        {{ decimal_from_text('share_pct') }} as share_pct,
        printed_unit,
        coalesce(reason, '') as reason,
        {{ unreadable_values(['amount', 'basic_amount', 'project_amount', 'budget_amount', 'prior_amount',
                              'completion_pct', 'share_pct']) }} as unreadable_values,
        ---------- provenance
        locator as source_locator,
        quote
    from source
)

select * from renamed
