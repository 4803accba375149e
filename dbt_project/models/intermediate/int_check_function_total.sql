-- The 类 lines of a statement against the statement's total (一般公共预算财政拨款支出, 本年支出合计,
-- 本年收入合计, 财政拨款本年支出合计), where both are stated and differ (int_identity_comparisons).
select {{ check_columns() }}, {{ check_quote_columns() }}
from {{ ref('int_identity_comparisons') }}
where check_name = 'function_classes_vs_total' and severity is not null
