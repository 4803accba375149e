-- Amounts that cannot be budget figures, or lines without one: a defect of one document (or of
-- our reading of it) is a warn finding with its quote, never a failed build.
--   unreadable_amount      a value in a seed that DECIMAL(18, 6) cannot hold (stg_*.unreadable_values)
--   implausible_amount     an amount of max_plausible_amount 万元 (seeds/ref_amount_rule.csv) or more, or one ingest refused as such
--                          (its extraction warning implausible_amount, which quotes the row)
--   amount_above_grand_total  an amount more than grand_total_ratio_limit times the disclosure's largest
--                          stated total (收支总计, 本年收入合计, 本年支出合计)
--   line_without_amount    a 类/款/项 line without an amount
with documents as (
    select document_id, disclosure_id, source_file from {{ ref('int_documents') }}
),

-- function_lines, economic_lines and money are not materialized: each use filters them first (an
-- unreadable value, an implausible amount), and only those few rows get their label and quote; kept
-- whole, money held every line's quote and spilled (100,000 documents: 0.6 GB, 2.0-3.3 s → 0.8 s)
function_lines as not materialized (
    select d.disclosure_id, d.source_file, l.*
    from {{ ref('stg_function_lines') }} as l
    inner join documents as d using (document_id)
),

economic_lines as not materialized (
    select d.disclosure_id, d.source_file, l.*
    from {{ ref('stg_economic_lines') }} as l
    inner join documents as d using (document_id)
),

unreadable as (
    select
        disclosure_id, 'function line ' || trim(printed_code || ' ' || raw_label) as what, unreadable_values,
        source_file, source_locator, quote
    from function_lines
    where unreadable_values is not null
    union all
    select
        disclosure_id, 'economic line ' || trim(printed_code || ' ' || raw_label), unreadable_values,
        source_file, source_locator, quote
    from economic_lines
    where unreadable_values is not null
    union all
    select
        d.disclosure_id, 'figure ' || f.metric || ' (' || f.measure || ')', f.unreadable_values,
        d.source_file, f.source_locator, f.quote
    from {{ ref('stg_figures') }} as f inner join documents as d using (document_id)
    where f.unreadable_values is not null
    union all
    select
        d.disclosure_id, '绩效 project ' || coalesce(p.project_name, p.project_no::varchar), p.unreadable_values,
        d.source_file, p.source_locator, p.quote
    from {{ ref('stg_performance_projects') }} as p inner join documents as d using (document_id)
    where p.unreadable_values is not null
    union all
    select
        d.disclosure_id, '绩效 indicator ' || coalesce(i.indicator_name, i.indicator_no::varchar), i.unreadable_values,
        d.source_file, i.source_locator, concat_ws(' | ', i.level1_name, i.level2_name, i.indicator_name, i.target)
    from {{ ref('stg_performance_indicators') }} as i inner join documents as d using (document_id)
    where i.unreadable_values is not null
),

money as not materialized (
    -- every amount in 万元 a document states, with where it stands
    select
        disclosure_id, 'function line ' || trim(printed_code || ' ' || raw_label) as what, amount,
        source_file, source_locator, quote
    from function_lines
    where amount is not null
    union all
    select
        disclosure_id, 'economic line ' || trim(printed_code || ' ' || raw_label), amount,
        source_file, source_locator, quote
    from economic_lines
    where amount is not null
    union all
    select
        disclosure_id, 'figure ' || metric || ' (' || measure || ')', resolved_value,
        source_file, source_locator, quote
    from {{ ref('int_figures') }}
    where unit = '万元' and measure in ('amount', 'budget_amount', 'prior_amount', 'change_amount')
        and resolved_value is not null
),

totals as (
    -- the disclosure's largest stated total (the chosen value of each: a table's over a narrative's)
    select disclosure_id, max(abs(value)) as grand_total
    from {{ ref('int_disclosure_metrics') }}
    where metric in ('grand_total', 'income_total', 'expenditure_total') and qualifier = ''
        and measure = 'amount' and unit = '万元' and value is not null
    group by disclosure_id
),

noted as (
    select d.disclosure_id, w.message, d.source_file, w.source_locator
    from {{ ref('stg_extraction_warnings') }} as w
    inner join documents as d using (document_id)
    where w.kind = 'implausible_amount'
),

findings as (
    select
        disclosure_id,
        'unreadable_amount' as check_name,
        null::decimal(18, 6) as expected,
        null::decimal(18, 6) as actual,
        what || ': ' || unreadable_values || ' is no amount DECIMAL(18, 6) can hold; not read' as message,
        source_file,
        source_locator,
        quote
    from unreadable

    union all

    select
        disclosure_id,
        'implausible_amount',
        null,
        try_cast(amount as decimal(18, 6)),
        what || ': ' || amount || ' 万元 is no amount a budget can hold ('
        || {{ amount_rule('max_plausible_amount') }}::bigint || ' 万元 or more)',
        source_file,
        source_locator,
        quote
    from money
    where abs(amount) >= {{ amount_rule('max_plausible_amount') }}

    union all

    select disclosure_id, 'implausible_amount', null, null, message, source_file, source_locator, null
    from noted

    union all

    select
        m.disclosure_id,
        'amount_above_grand_total',
        t.grand_total,
        m.amount,
        m.what || ': ' || m.amount || ' 万元 is more than ' || {{ var('grand_total_ratio_limit') }}
        || ' times the disclosure''s largest stated total ' || t.grand_total || ' 万元',
        m.source_file,
        m.source_locator,
        m.quote
    from money as m
    inner join totals as t using (disclosure_id)
    where t.grand_total > 0
        and abs(m.amount) > {{ var('grand_total_ratio_limit') }} * t.grand_total
        and abs(m.amount) < {{ amount_rule('max_plausible_amount') }}

    union all

    select
        disclosure_id,
        'line_without_amount',
        null,
        null,
        'function line ' || trim(printed_code || ' ' || raw_label) || ' (' || statement || ') has no amount',
        source_file,
        source_locator,
        quote
    from function_lines
    where amount is null and unreadable_values is null

    union all

    select
        disclosure_id,
        'line_without_amount',
        null,
        null,
        'economic line ' || trim(printed_code || ' ' || raw_label) || ' (' || statement || ') has no amount',
        source_file,
        source_locator,
        quote
    from economic_lines
    where amount is null and unreadable_values is null
)

select
    disclosure_id,
    check_name,
    'warn' as severity,
    expected,
    actual,
    expected - actual as difference,
    message,
    source_file,
    coalesce(source_locator, 'document') as source_locator,
    quote,
    null::varchar as other_source_file,
    null::varchar as other_source_locator,
    null::varchar as other_quote
from findings
