-- The source is read as text (macros/extracted.sql): a value no DECIMAL(18, 6) can hold is NULL
-- here and named in unreadable_values, never a failed build.
with source as (
    select * from {{ extracted_as_text('performance_projects') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        project_no::integer as project_no,
        project_code,
        project_name,
        competent_department,
        implementing_unit,
        ---------- numerics (万元, percent, points)
        {{ decimal_from_text('initial_budget') }} as initial_budget,
        {{ decimal_from_text('adjusted_budget') }} as adjusted_budget,
        {{ decimal_from_text('executed') }} as executed,
        {{ decimal_from_text('execution_rate') }} as execution_rate,
        {{ decimal_from_text('weight') }} as weight,
        {{ decimal_from_text('budget_score') }} as budget_score,
        {{ decimal_from_text('self_score') }} as self_score,
        printed_unit,
        {{ unreadable_values(['initial_budget', 'adjusted_budget', 'executed', 'execution_rate', 'weight',
                              'budget_score', 'self_score']) }} as unreadable_values,
        ---------- provenance
        locator as source_locator,
        quote
    from source
)

select * from renamed
