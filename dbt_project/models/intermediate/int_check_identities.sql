-- Accounting identities between headline metrics (ref_metric.parent_metric) that fail:
-- 基本 + 项目 = 支出合计, 人员经费 + 公用经费 = 基本支出, 三公 parts = 三公, 购置 + 运行 = 公务用车.
-- Compared in int_identity_comparisons only when the total and its parts are stated (a side missing
-- is no finding: mart_disclosure_coverage says not_checkable).
select {{ check_columns() }}, {{ check_quote_columns() }}
from {{ ref('int_identity_comparisons') }}
where check_name like 'identity_%' and severity is not null
