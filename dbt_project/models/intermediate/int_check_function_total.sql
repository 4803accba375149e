-- The 类 lines of a statement against the statement's total (一般公共预算财政拨款支出, 本年支出合计, 本年收入合计).
with classes as (
    select disclosure_id, basis, sum(amount) as class_sum, count(*) as class_count
    from {{ ref('int_function_amounts') }}
    where level = '类'
    group by all
),

totals as (
    select
        disclosure_id,
        case metric
            when 'gpb_expenditure' then 'general_budget'
            when 'expenditure_total' then 'all_funds'
            when 'income_total' then 'income'
            when 'fiscal_grant_expenditure_total' then 'fiscal_grant'
        end as basis,
        metric,
        value,
        source_file,
        source_locator
    from {{ ref('int_disclosure_metrics') }}
    where metric in ('gpb_expenditure', 'expenditure_total', 'income_total', 'fiscal_grant_expenditure_total')
      and measure = 'amount' and qualifier = ''
)

select
    t.disclosure_id,
    'function_classes_vs_total' as check_name,
    {{ rounding_severity('t.value - c.class_sum', 'c.class_count') }} as severity,
    t.value as expected,
    c.class_sum as actual,
    t.value - c.class_sum as difference,
    c.basis || ': ' || c.class_count || ' 类 lines sum to ' || c.class_sum || ' but ' || t.metric || ' is ' || t.value as message,
    t.source_file,
    t.source_locator
from totals as t
inner join classes as c using (disclosure_id, basis)
where t.value <> c.class_sum
