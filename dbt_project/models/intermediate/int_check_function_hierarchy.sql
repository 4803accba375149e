-- A stated 类 or 款 that differs from the sum of its stated children (项 → 款 → 类).
select
    disclosure_id,
    'function_parent_vs_children' as check_name,
    {{ rounding_severity('stated_amount - rollup_amount', 'child_count') }} as severity,
    stated_amount as expected,
    rollup_amount as actual,
    stated_amount - rollup_amount as difference,
    basis || ' ' || level || ' ' || code || ' ' || coalesce(raw_label, '') || ' states ' || stated_amount
        || ' but its ' || child_count || ' ' || rollup_from || ' lines sum to ' || rollup_amount as message,
    source_file,
    source_locator
from {{ ref('int_function_amounts') }}
where amount_source = 'stated' and rollup_amount is not null and stated_amount <> rollup_amount
