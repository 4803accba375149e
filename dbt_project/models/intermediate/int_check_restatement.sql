-- The same figure stated twice in one disclosure with different values
-- (table vs narrative, or two sentences of the narrative).
with figures as (
    select * from {{ ref('int_figures') }}
    where measure not in ('reason', 'components') and resolved_value is not null
),

-- only a key stated more than once can be restated: the join then builds on those few keys, not
-- on every figure (100,000 documents: 10 M × 10 M rows spilled 5 GB to disk, 33 s)
chosen as (
    select * from {{ ref('int_disclosure_metrics') }}
    where statement_count > 1
),

line_pairs as (
    select * from {{ ref('int_function_lines') }}
    where code is not null and amount is not null
)

select
    f.disclosure_id,
    'restatement_mismatch' as check_name,
    -- a value printed with fewer digits is the other one rounded when it is within half a unit
    -- of its last digit ("17,192万元" for 171,915,169元); otherwise the rounding policy applies
    case
        when abs(c.value - f.resolved_value)
            <= greatest(
                {{ printed_tolerance_wan('f.printed_value', 'f.printed_unit') }},
                {{ printed_tolerance_wan('c.printed_value', 'c.printed_unit') }}
            )
            then 'info'
        -- or truncated to its last digit ("1,361万元" for 13,616,271元, 上海 2026 budgets): less than one unit below
        when c.value - f.resolved_value >= 0
            and c.value - f.resolved_value < 2 * {{ printed_tolerance_wan('f.printed_value', 'f.printed_unit') }}
            then 'info'
        else {{ rounding_severity('c.value - f.resolved_value', 1) }}
    end as severity,
    c.value as expected,
    f.resolved_value as actual,
    c.value - f.resolved_value as difference,
    f.metric || coalesce(' ' || nullif(f.qualifier, ''), '') || ' (' || f.measure || ') stated as '
    || f.printed_value || f.printed_unit
    || ' here but ' || c.printed_value || c.printed_unit || ' at ' || c.source_locator
    || case
        when c.section like 'table:%' and f.section not like 'table:%' then ' (the table''s figure is used)' else ''
    end
        as message,
    f.source_file,
    f.source_locator,
    -- both statements quoted: this one, and the one the marts use
    f.quote,
    c.source_file as other_source_file,
    c.source_locator as other_source_locator,
    c.quote as other_quote
from figures as f
inner join chosen as c using (disclosure_id, metric, qualifier, measure, unit)
where f.resolved_value <> c.value
    -- a restatement is the same figure in another part of the disclosure (table vs narrative,
    -- 总表 vs 支出表); repeats inside one narrative section are too often different sub-items
    and f.section <> c.section

union all

-- a line summed from rows of sub-units carries the rounding of each row
select
    {{ check_row(
        'function_line_restatement',
        disclosure_id='l.disclosure_id',
        severity=rounding_severity('c.amount - l.amount', 'greatest(l.part_count, c.part_count)'),
        expected='c.amount',
        actual='l.amount',
        message="l.basis || ' ' || l.code || ' stated as ' || l.amount || ' in ' || l.statement || ' but ' || c.amount
            || ' in ' || c.statement || ' at ' || c.source_locator",
        source_file='l.source_file',
        source_locator='l.source_locator',
        quotes=['l.quote', 'c.source_file', 'c.source_locator', 'c.quote'],
    ) }}
from line_pairs as l
inner join line_pairs as c
on c.disclosure_id = l.disclosure_id and c.basis = l.basis and c.code = l.code and c.is_chosen
where not l.is_chosen and l.amount <> c.amount
