-- The summary tables against themselves and each other, where they differ (int_identity_comparisons):
-- 收支总表 收入 = 支出 (summary_balance), 总计 = each side (summary_totals), and the 一般公共预算支出表's
-- 合计 = the 财政拨款收支总表's 一般公共预算 line (gpb_vs_fiscal_grant_summary).
select {{ check_columns() }}, {{ check_quote_columns() }}
from {{ ref('int_identity_comparisons') }}
where check_name in ('summary_balance', 'summary_totals', 'gpb_vs_fiscal_grant_summary') and severity is not null
