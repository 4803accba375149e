-- One row per indicator of a 绩效自评表 (一级/二级/三级指标, target, weight, score).
select
    p.department_id,
    p.fiscal_year,
    p.project_code,
    p.project_name,
    i.indicator_no,
    i.level1_name,
    i.level2_name,
    i.indicator_name,
    i.operator,
    i.target,
    i.unit,
    i.actual,
    i.weight,
    i.score,
    p.source_file,
    i.source_locator,
    p.disclosure_id
from {{ ref('stg_performance_indicators') }} as i
inner join {{ ref('fct_performance_project') }} as p using (document_id, project_no)
