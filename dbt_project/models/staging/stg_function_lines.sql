with source as (
    select * from {{ source('extracted', 'function_lines') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        line_no,
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
        match_score,
        ---------- numerics (万元)
        amount,
        basic_amount,
        project_amount,
        budget_amount,
        prior_amount,
        completion_pct,
        share_pct,
        printed_unit,
        coalesce(reason, '') as reason,
        ---------- provenance
        locator as source_locator,
        quote
    from source
)

select * from renamed
