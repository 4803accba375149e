-- 绩效: evaluated projects' 执行数 against 项目支出, and each 执行率 against 执行数 / 调整后预算.
with projects as (
    select p.*, d.disclosure_id, d.source_file
    from {{ ref('stg_performance_projects') }} as p
    inner join {{ ref('int_documents') }} as d using (document_id)
),

project_sum as (
    select
        disclosure_id, sum(executed) as executed_sum, count(*) as project_count,
        min(source_file) as source_file, min(source_locator) as source_locator
    from projects
    group by disclosure_id
),

project_expenditure as (
    select * from {{ ref('int_disclosure_metrics') }}
    where metric = 'project_expenditure' and measure = 'amount' and qualifier = ''
)

select
    {{ check_row(
        'performance_projects_vs_project_expenditure',
        disclosure_id='e.disclosure_id',
        severity=rounding_severity('e.value - s.executed_sum', 's.project_count'),
        expected='e.value',
        actual='s.executed_sum',
        message="'项目支出 is ' || e.value || ' but the ' || s.project_count || ' evaluated projects executed ' || s.executed_sum",
        source_file='e.source_file',
        source_locator='e.source_locator',
    ) }}
from project_expenditure as e
inner join project_sum as s using (disclosure_id)
where e.value <> s.executed_sum

union all

select
    {{ check_row(
        'performance_execution_rate',
        severity="'warn'",
        expected='round(executed / adjusted_budget * 100, 2)',
        actual='execution_rate',
        difference='execution_rate - round(executed / adjusted_budget * 100, 2)',
        message="project_name || ': 执行率 printed ' || execution_rate || '% but 执行数 / 调整后预算 = '
            || round(executed / adjusted_budget * 100, 2) || '%'",
    ) }}
from projects
where adjusted_budget > 0 and execution_rate is not null
    and abs(execution_rate - executed / adjusted_budget * 100) > 0.01
