-- Every accounting identity a disclosure's own figures allow, one row per comparison, whether it
-- holds or not, and which side is missing when it cannot be made. The int_check_* models list the
-- comparisons that fail (int_check_identities, int_check_function_total, int_check_summaries);
-- mart_disclosure_coverage says, per disclosure, which identities hold, fail or cannot be checked.
--   identity_<parent>           parts = parent (ref_metric.parent_metric): 基本 + 项目 = 支出合计,
--                               人员 + 公用 = 基本, 三公 parts = 三公, 购置 + 运行 = 公务用车
--   function_classes_vs_total   the 类 lines of a statement = its total
--   summary_balance             收支总表 (and 财政拨款收支总表): 本年收入 + 年初结转 = 本年支出 + 年末结转
--   summary_totals              收支总表: 收入总计 = 支出总计 (the 总计 against each side, and two printed 总计)
--   gpb_vs_fiscal_grant_summary 一般公共预算支出表 合计 = the 财政拨款收支总表's 一般公共预算 line
-- not materialized: each use reads int_disclosure_metrics with only the columns it needs (quotes are wide)
with metrics as not materialized (
    select * from {{ ref('int_disclosure_metrics') }}
    -- statement_total carries its table's basis as qualifier (function_classes_vs_total)
    where (qualifier = '' or metric = 'statement_total') and measure in ('amount', 'budget_amount')
        and coalesce(unit, '万元') = '万元'
        and value is not null
),

---------- identity_<parent>: the parts of a headline metric
definitions as (
    select metric, parent_metric from {{ ref('stg_ref_metric') }}
    where parent_metric is not null
),

defined_parts as (
    select parent_metric, count(*) as defined_count from definitions
    group by parent_metric
),

derived_parts as (
    -- a part not stated whose own parts all are stands as their sum (公务用车购置及运行维护费 = 购置 + 运行)
    select p.disclosure_id, d.parent_metric as metric, p.measure, sum(p.value) as value, count(*) as part_count
    from metrics as p
    inner join definitions as d using (metric)
    where not exists (
            select 1 from metrics as m
            where m.disclosure_id = p.disclosure_id and m.metric = d.parent_metric and m.measure = p.measure
        )
    group by all
),

stated_or_derived as (
    select disclosure_id, metric, measure, value, metric as part_name from metrics
    union all
    select r.disclosure_id, r.metric, r.measure, r.value, r.metric || ' (sum of its parts)'
    from derived_parts as r
    inner join defined_parts as n on n.parent_metric = r.metric and n.defined_count = r.part_count
),

parts as (
    select
        s.disclosure_id, d.parent_metric, s.measure, sum(s.value) as parts_sum, count(*) as part_count,
        string_agg(s.part_name, ' + ' order by s.part_name) as part_names
    from stated_or_derived as s
    inner join definitions as d using (metric)
    group by all
),

parent_totals as (
    select m.* from metrics as m
    where m.metric in (select d.parent_metric from definitions as d)
),

metric_identities as (
    select
        coalesce(t.disclosure_id, p.disclosure_id) as disclosure_id,
        'identity_' || coalesce(t.metric, p.parent_metric) as check_name,
        coalesce(t.measure, p.measure) as subject,
        t.value as expected,
        p.parts_sum as actual,
        coalesce(p.part_count, 0) as compared_rows,
        -- a side is missing without the total, or with one part of several (the other parts unread)
        t.value is not null and (p.part_count >= 2 or p.part_count = n.defined_count) as is_checkable,
        case
            when t.value is null then coalesce(t.metric, p.parent_metric) || ' not stated'
            when p.part_count is null then 'no part of ' || t.metric || ' stated'
            when p.part_count < 2 and p.part_count < n.defined_count then 'only ' || p.part_names || ' stated'
        end as missing_side,
        coalesce(t.metric, p.parent_metric) || ' (' || coalesce(t.measure, p.measure) || ') is '
        || coalesce(t.value::varchar, '?') || ' but ' || coalesce(p.part_names, 'its parts') || ' = '
        || coalesce(p.parts_sum::varchar, '?') as message,
        t.source_file,
        t.source_locator,
        t.quote,
        null::varchar as other_source_file,
        null::varchar as other_source_locator,
        null::varchar as other_quote
    from parent_totals as t
    full outer join parts as p
    on p.disclosure_id = t.disclosure_id and p.parent_metric = t.metric and p.measure = t.measure
    inner join defined_parts as n on n.parent_metric = coalesce(t.metric, p.parent_metric)
),

---------- function_classes_vs_total: the 类 lines of a statement against its total
classes as (
    select disclosure_id, basis, sum(amount) as class_sum, count(*) as class_count
    from {{ ref('int_function_amounts') }}
    where level = '类' and amount is not null
    group by all
),

statement_totals as (
    -- the metric a statement's 合计 gives, as the vocabulary says (ref_table_kind: basis → total_metric);
    -- a table whose 合计 adds a carry-over printed beside it states its own total as statement_total
    select disclosure_id, basis, metric, value, source_file, source_locator, quote
    from (
        select
            m.disclosure_id,
            coalesce(k.basis, m.qualifier) as basis,
            m.metric,
            m.value,
            m.source_file,
            m.source_locator,
            m.quote,
            row_number() over (
                partition by m.disclosure_id, coalesce(k.basis, m.qualifier)
                order by (m.metric = 'statement_total') desc
            ) as preference
        from metrics as m
        left join (
            select distinct basis, total_metric from {{ ref('stg_ref_table_kind') }}
            where basis is not null
        ) as k
        on k.total_metric = m.metric
        where m.measure = 'amount' and (k.basis is not null or m.metric = 'statement_total')
    )
    where preference = 1
),

class_identities as (
    select
        coalesce(t.disclosure_id, c.disclosure_id) as disclosure_id,
        'function_classes_vs_total' as check_name,
        coalesce(t.basis, c.basis) as subject,
        t.value as expected,
        c.class_sum as actual,
        coalesce(c.class_count, 0) as compared_rows,
        t.value is not null and c.class_sum is not null as is_checkable,
        case
            when t.value is null then 'no total of the ' || c.basis || ' statement stated'
            when c.class_sum is null then 'no 类 line of the ' || t.basis || ' statement read'
        end as missing_side,
        coalesce(t.basis, c.basis) || ': ' || coalesce(c.class_count, 0) || ' 类 lines sum to '
        || coalesce(c.class_sum::varchar, '?') || ' but ' || coalesce(t.metric, 'its total') || ' is '
        || coalesce(t.value::varchar, '?') as message,
        t.source_file,
        t.source_locator,
        t.quote,
        null::varchar as other_source_file,
        null::varchar as other_source_locator,
        null::varchar as other_quote
    from statement_totals as t
    full outer join classes as c using (disclosure_id, basis)
),

---------- summary_balance and summary_totals: 收支总表 and 财政拨款收支总表
summary_values as (
    -- per disclosure and table: its own totals ('' = 收支总表, 'fiscal_grant_' = 财政拨款收支总表);
    -- a 上年结转结余 printed as a source of income (杭州, 福州 budgets) is the carry-over
    select
        m.disclosure_id,
        m.prefix,
        max(m.value) filter (where m.metric = m.prefix || 'income_total') as income_total,
        max(m.value) filter (where m.metric = m.prefix || 'expenditure_total') as expenditure_total,
        max(m.value) filter (where m.metric = m.prefix || 'carryover_begin') as carryover_begin,
        max(m.value) filter (where m.metric = m.prefix || 'carryover_end') as carryover_end,
        max(m.value) filter (where m.metric = m.prefix || 'grand_total') as grand_total,
        max(m.source_file) filter (where m.metric = m.prefix || 'income_total') as source_file,
        max(m.source_locator) filter (where m.metric = m.prefix || 'income_total') as income_locator,
        max(m.quote) filter (where m.metric = m.prefix || 'income_total') as income_quote,
        max(m.source_file) filter (where m.metric = m.prefix || 'expenditure_total') as other_source_file,
        max(m.source_locator) filter (where m.metric = m.prefix || 'expenditure_total') as expenditure_locator,
        max(m.quote) filter (where m.metric = m.prefix || 'expenditure_total') as expenditure_quote,
        max(m.source_file) filter (where m.metric = m.prefix || 'grand_total') as total_file,
        max(m.source_locator) filter (where m.metric = m.prefix || 'grand_total') as total_locator,
        max(m.quote) filter (where m.metric = m.prefix || 'grand_total') as total_quote
    from (select *, unnest(['', 'fiscal_grant_']) as prefix from metrics) as m
    -- the tables' own figures: a narrative's rounded restatement is no side of a table's identity
    where m.measure = 'amount' and m.section like 'table:%'
    group by all
),

carried_as_income as (
    select disclosure_id, sum(value) as carryover
    from {{ ref('int_disclosure_metrics') }}
    where metric = 'income_by_source' and qualifier like '%结转%' and measure = 'amount' and value is not null
        and section like 'table:%'
    group by disclosure_id
),

beyond_year as (
    -- items printed below 本年收入合计 / 本年支出合计 that the 总计 adds (上级补助收入, 上缴上级支出 …)
    select
        disclosure_id,
        sum(value) filter (where metric = 'income_beyond_year') as income_beyond,
        sum(value) filter (where metric = 'expenditure_beyond_year') as expenditure_beyond
    from {{ ref('int_disclosure_metrics') }}
    where metric in ('income_beyond_year', 'expenditure_beyond_year') and measure = 'amount'
        and value is not null and section like 'table:%'
    group by disclosure_id
),

summary_sides as (
    select
        s.*,
        case s.prefix when '' then '收支总表' else '财政拨款收支总表' end as subject,
        s.income_total + coalesce(s.carryover_begin, case when s.prefix = '' then c.carryover end, 0)
        + case when s.prefix = '' then coalesce(b.income_beyond, 0) else 0 end as income_side,
        s.expenditure_total + coalesce(s.carryover_end, 0)
        + case when s.prefix = '' then coalesce(b.expenditure_beyond, 0) else 0 end as expenditure_side
    from summary_values as s
    left join carried_as_income as c using (disclosure_id)
    left join beyond_year as b using (disclosure_id)
    where s.income_total is not null or s.expenditure_total is not null or s.grand_total is not null
),

summary_identities as (
    select
        disclosure_id,
        'summary_balance' as check_name,
        subject,
        income_side as expected,
        expenditure_side as actual,
        4 as compared_rows,
        income_side is not null and expenditure_side is not null as is_checkable,
        case
            when income_side is null and expenditure_side is null then '本年收入合计 and 本年支出合计 not stated'
            when income_side is null then '本年收入合计 not stated'
            when expenditure_side is null then '本年支出合计 not stated'
        end as missing_side,
        subject || ': 本年收入 ' || coalesce(income_total::varchar, '?') || ' + 结转 '
        || coalesce((income_side - income_total)::varchar, '?') || ' = ' || coalesce(income_side::varchar, '?')
        || ' but 本年支出 ' || coalesce(expenditure_total::varchar, '?') || ' + 结转 '
        || coalesce(carryover_end, 0)::varchar || ' = ' || coalesce(expenditure_side::varchar, '?') as message,
        source_file,
        income_locator as source_locator,
        income_quote as quote,
        other_source_file,
        expenditure_locator as other_source_locator,
        expenditure_quote as other_quote
    from summary_sides

    union all

    select
        disclosure_id,
        'summary_totals',
        subject || ', ' || side,
        grand_total,
        side_value,
        2,
        grand_total is not null and side_value is not null,
        case
            when grand_total is null then '总计 not stated'
            when side_value is null then side || ' not stated'
        end,
        subject || ': 总计 ' || coalesce(grand_total::varchar, '?') || ' but the ' || side || ' adds up to '
        || coalesce(side_value::varchar, '?'),
        total_file,
        total_locator,
        total_quote,
        side_file,
        side_locator,
        side_quote
    from (
        select
            *, '收入' as side, income_side as side_value, source_file as side_file,
            income_locator as side_locator, income_quote as side_quote
        from summary_sides
        union all
        select *, '支出', expenditure_side, other_source_file, expenditure_locator, expenditure_quote
        from summary_sides
    ) as sides
),

---------- gpb_vs_fiscal_grant_summary: the same 一般公共预算 figure in two tables
gpb_statements as (
    -- the first statement of each table: the 一般公共预算支出表's 合计, the 财政拨款收支总表's 一般公共预算 line
    select
        disclosure_id,
        case
            when section like '%fiscal_grant_summary' then 'fiscal_grant_summary' else 'general_budget_table'
        end as side,
        arg_min(resolved_value, struct_pack(source_file, figure_no)) as value,
        arg_min(source_file, struct_pack(source_file, figure_no)) as source_file,
        arg_min(source_locator, struct_pack(source_file, figure_no)) as source_locator,
        arg_min(quote, struct_pack(source_file, figure_no)) as quote
    from {{ ref('int_figures') }}
    where measure = 'amount' and resolved_value is not null
        and (
            (section like 'table:%general_budget_expenditure' and metric = 'gpb_expenditure' and qualifier = '')
            or (
                section like 'table:%fiscal_grant_summary'
                and (
                    metric = 'gpb_expenditure' and qualifier = ''
                    or metric = 'income_by_source' and qualifier like '%一般公共预算%'
                )
            )
        )
    group by all
),

gpb_identities as (
    select
        coalesce(s.disclosure_id, t.disclosure_id) as disclosure_id,
        'gpb_vs_fiscal_grant_summary' as check_name,
        '一般公共预算' as subject,
        s.value as expected,
        t.value as actual,
        2 as compared_rows,
        s.value is not null and t.value is not null as is_checkable,
        case
            when s.value is null then 'no 一般公共预算 line of the 财政拨款收支总表 read'
            when t.value is null then 'no 合计 of the 一般公共预算支出表 read'
        end as missing_side,
        '财政拨款收支总表 一般公共预算 ' || coalesce(s.value::varchar, '?') || ' but 一般公共预算支出表 合计 '
        || coalesce(t.value::varchar, '?') as message,
        s.source_file,
        s.source_locator,
        s.quote,
        t.source_file as other_source_file,
        t.source_locator as other_source_locator,
        t.quote as other_quote
    from (
        select * from gpb_statements
        where side = 'fiscal_grant_summary'
    ) as s
    full outer join (
        select * from gpb_statements
        where side = 'general_budget_table'
    ) as t
    using
        (disclosure_id
        )
),

comparisons as (
    select * from metric_identities
    union all
    select * from class_identities
    union all
    select * from summary_identities
    union all
    select * from gpb_identities
)

select
    disclosure_id,
    check_name,
    subject,
    expected,
    actual,
    case when is_checkable then expected - actual end as difference,
    compared_rows,
    is_checkable,
    missing_side,
    -- NULL where it holds (or cannot be made); otherwise the rounding policy
    case
        when is_checkable and expected <> actual then {{ rounding_severity('expected - actual', 'compared_rows') }}
    end as severity,
    message,
    source_file,
    source_locator,
    quote,
    other_source_file,
    other_source_locator,
    other_quote
from comparisons
