-- Accounting identities between headline metrics (ref_metric.parent_metric):
-- 基本 + 项目 = 支出合计, 人员经费 + 公用经费 = 基本支出, 三公 parts = 三公, 购置 + 运行 = 公务用车.
with metrics as (
    select * from {{ ref('int_disclosure_metrics') }}
    where qualifier = '' and measure in ('amount', 'budget_amount')
),

definitions as (
    select metric, parent_metric from {{ ref('stg_ref_metric') }} where parent_metric is not null
),

parts as (
    select m.disclosure_id, d.parent_metric, m.measure, sum(m.value) as parts_sum, count(*) as part_count,
           string_agg(m.metric, ' + ' order by m.metric) as part_names
    from metrics as m
    inner join definitions as d using (metric)
    group by all
)

select
    p.disclosure_id,
    'identity_' || p.parent_metric as check_name,
    {{ rounding_severity('t.value - p.parts_sum', 'p.part_count') }} as severity,
    t.value as expected,
    p.parts_sum as actual,
    t.value - p.parts_sum as difference,
    p.parent_metric || ' (' || p.measure || ') is ' || t.value || ' but ' || p.part_names || ' = ' || p.parts_sum as message,
    t.source_file,
    t.source_locator
from parts as p
inner join metrics as t on t.disclosure_id = p.disclosure_id and t.metric = p.parent_metric and t.measure = p.measure
where t.value <> p.parts_sum
