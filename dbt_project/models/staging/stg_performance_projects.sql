with source as (
    select * from {{ source('extracted', 'performance_projects') }}
),

renamed as (
    select
        ---------- ids
        document_id,
        project_no,
        project_code,
        project_name,
        competent_department,
        implementing_unit,
        ---------- numerics (万元, percent, points)
        initial_budget,
        adjusted_budget,
        executed,
        execution_rate,
        weight,
        budget_score,
        self_score,
        printed_unit,
        ---------- provenance
        locator as source_locator,
        quote
    from source
)

select * from renamed
