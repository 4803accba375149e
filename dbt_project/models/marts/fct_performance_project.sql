-- One row per evaluated project (项目支出绩效自评表) of a disclosure.
select
    d.department_id,
    d.fiscal_year,
    d.phase,
    p.project_no,
    p.project_code,
    p.project_name,
    p.competent_department,
    p.implementing_unit,
    p.initial_budget,
    p.adjusted_budget,
    p.executed,
    p.execution_rate,
    p.self_score,
    p.budget_score,
    doc.source_file,
    p.source_locator,
    d.disclosure_id,
    p.document_id
from {{ ref('stg_performance_projects') }} as p
inner join {{ ref('int_documents') }} as doc using (document_id)
inner join {{ ref('int_disclosures') }} as d on d.disclosure_id = doc.disclosure_id
