-- A stated 类 or 款 that differs from the sum of its stated children (项 → 款 → 类),
-- and a line whose 基本支出 + 项目支出 differs from its 合计.
select
    {{ check_row(
        'function_parent_vs_children',
        severity=rounding_severity('stated_amount - rollup_amount', 'rounding_rows'),
        expected='stated_amount',
        actual='rollup_amount',
        message="basis || ' ' || level || ' ' || code || ' ' || coalesce(raw_label, '') || ' states ' || stated_amount
            || ' but its ' || child_count || ' ' || rollup_from || ' lines sum to ' || rollup_amount",
    ) }}
from {{ ref('int_function_amounts') }}
where amount_source = 'stated' and rollup_amount is not null and stated_amount <> rollup_amount

union all

-- 基本 + 项目 = 合计 on every stated line that prints all three
-- a line summed from rows of sub-units carries the rounding of each row's three amounts
select
    {{ check_row(
        'function_basic_plus_project',
        severity=rounding_severity('stated_amount - (basic_amount + project_amount)', '2 * part_count'),
        expected='stated_amount',
        actual='basic_amount + project_amount',
        message="basis || ' ' || level || ' ' || code || ' ' || coalesce(raw_label, '') || ': 合计 ' || stated_amount
            || ' but 基本 ' || basic_amount || ' + 项目 ' || project_amount || ' = ' || (basic_amount + project_amount)",
    ) }}
from {{ ref('int_function_amounts') }}
where amount_source = 'stated' and basic_amount is not null and project_amount is not null
    and stated_amount <> basic_amount + project_amount
