-- Plausibility of a disclosure's figures, by the rules of seed ref_plausibility_rule (one rule per row):
--   plausibility_ceiling              a metric above its bound beyond rounding (机关运行经费 > 基本支出);
--   plausibility_parts_without_total  三公 parts stated and no 三公 total read (the table's 小计 exists);
--   plausibility_share_range          a stated share outside 0 to 100 %;
--   plausibility_jump                 a total that changes by 10× or more from the year before: warn
--                                     without a stated reason, info (the reason quoted) with one.
-- A comparison of two printed amounts treats a gap within their printed rounding as equal
-- (within_rounding, macros/comparison.sql).
with rules as (
    select * from {{ ref('stg_ref_plausibility_rule') }}
),

-- not materialized: each use reads int_disclosure_metrics with only the columns it needs (quotes are wide)
metrics as not materialized (
    select * from {{ ref('int_disclosure_metrics') }}
    where qualifier = ''
),

ceilings as (
    select
        v.disclosure_id,
        r.check_name,
        'warn' as severity,
        b.value * r.limit_value as expected,
        v.value as actual,
        b.value * r.limit_value - v.value as difference,
        v.metric || ' ' || v.printed_value || v.printed_unit || ' is above its ' || b.metric || ' '
        || b.printed_value || b.printed_unit || ' (at ' || b.source_locator || '): it cannot be a part of it'
            as message,
        v.source_file,
        v.source_locator,
        v.quote,
        b.source_file as other_source_file,
        b.source_locator as other_source_locator,
        b.quote as other_quote
    from metrics as v
    inner join rules as r on r.check_name = 'plausibility_ceiling' and r.metric = v.metric
    inner join metrics as b on b.disclosure_id = v.disclosure_id and b.metric = r.bound_metric and b.measure = 'amount'
    where v.measure = 'amount'
        and {{ above_beyond_rounding('v.value', 'b.value * r.limit_value',
                                   printed_tolerance_wan('v.printed_value', 'v.printed_unit'),
                                   printed_tolerance_wan('b.printed_value', 'b.printed_unit')) }}
),

children as (
    select parent_metric, count(*) as parts_defined
    from {{ ref('stg_ref_metric') }}
    where parent_metric is not null
    group by parent_metric
),

parts as (
    select
        p.disclosure_id,
        r.check_name,
        r.metric as total_metric,
        count(*) as parts_stated,
        any_value(c.parts_defined) as parts_defined,
        sum(p.value) as parts_sum,
        string_agg(p.metric || ' ' || p.printed_value || p.printed_unit, ', ' order by p.metric) as parts_printed,
        arg_min(
            struct_pack(p.source_file, p.source_locator, p.quote), (p.source_locator, p.metric, p.source_file)
        ) as first_part
    from metrics as p
    inner join {{ ref('stg_ref_metric') }} as m on m.metric = p.metric
    inner join rules as r on r.check_name = 'plausibility_parts_without_total' and r.metric = m.parent_metric
    inner join children as c on c.parent_metric = r.metric
    where p.measure = 'amount'
    group by p.disclosure_id, r.check_name, r.metric
),

parts_without_total as (
    select
        p.disclosure_id,
        p.check_name,
        'warn' as severity,
        -- the total the parts give, when every part is stated
        case when p.parts_stated = p.parts_defined then p.parts_sum end as expected,
        null::decimal(18, 6) as actual,
        null::decimal(18, 6) as difference,
        p.total_metric || ' not read, while its parts are (' || p.parts_printed || '): the table''s total or 小计 '
        || 'was not read'
        || case when p.parts_stated = p.parts_defined then '; the parts add up to ' || p.parts_sum else '' end
            as message,
        p.first_part.source_file,
        p.first_part.source_locator,
        p.first_part.quote,
        null::varchar as other_source_file,
        null::varchar as other_source_locator,
        null::varchar as other_quote
    from parts as p
    where not exists (
            select 1 from metrics as t
            where t.disclosure_id = p.disclosure_id and t.metric = p.total_metric and t.measure = 'amount'
        )
),

shares as (
    select
        s.disclosure_id,
        r.check_name,
        'warn' as severity,
        r.limit_value as expected,
        s.value as actual,
        null::decimal(18, 6) as difference,
        s.metric || ': a stated share of ' || s.printed_value || '% lies outside 0-' || r.limit_value::integer || '%'
            as message,
        s.source_file,
        s.source_locator,
        s.quote,
        null::varchar as other_source_file,
        null::varchar as other_source_locator,
        null::varchar as other_quote
    from (
        select *, 'plausibility_share_range' as check_name from metrics
        where measure = 'share_pct'
    ) as s
    inner join rules as r using (check_name)
    where s.value < 0 or s.value > r.limit_value
),

reasons as (
    select
        disclosure_id,
        metric,
        arg_min(struct_pack(quote, source_file, source_locator), (source_file, source_locator, quote)) as reason
    from {{ ref('fct_stated_reason') }}
    group by disclosure_id, metric
),

jumps as (
    select
        y.disclosure_id,
        r.check_name,
        case when y.is_comparable and s.reason is null then 'warn' else 'info' end as severity,
        y.prior_value as expected,
        y.value as actual,
        y.prior_value - y.value as difference,
        y.metric || ' ' || y.value || ' against ' || y.prior_value || ' the year before (' || y.prior_source || '): '
        || round(greatest(y.value / y.prior_value, y.prior_value / y.value), 1) || '×, '
        || case
            when not y.is_comparable then 'the pair is not comparable: ' || y.comparability_note
            when s.reason is not null then 'with a stated reason'
            else 'and no reason stated'
        end as message,
        y.source_file,
        y.source_locator,
        v.quote,
        coalesce(y.comparability_source_file, s.reason.source_file) as other_source_file,
        coalesce(y.comparability_source_locator, s.reason.source_locator) as other_source_locator,
        coalesce(y.comparability_quote, s.reason.quote) as other_quote
    from {{ ref('fct_metric_yoy') }} as y
    inner join rules as r on r.check_name = 'plausibility_jump' and r.metric = y.metric
    left join reasons as s on s.disclosure_id = y.disclosure_id and s.metric = y.metric
    left join metrics as v on v.disclosure_id = y.disclosure_id and v.metric = y.metric and v.measure = 'amount'
    where y.is_preferred and y.value > 0 and y.prior_value > 0
        and (y.value >= y.prior_value * r.limit_value or y.prior_value >= y.value * r.limit_value)
),

findings as (
    select * from ceilings
    union all
    select * from parts_without_total
    union all
    select * from shares
    union all
    select * from jumps
)

select {{ check_columns() }}, {{ check_quote_columns() }}
from findings
