-- A stated 经济分类 类 (301 工资福利支出, 302 商品和服务支出 …) that differs from the sum of the
-- 款 lines printed under it in the same table. A 款 line counts under the 类 its printed code
-- starts with, whether or not a national 款 fits it: a table's own items (普陀区社会福利院 2024
-- "302 10 车辆运行费", a local item of 302) are part of their 类 even while their 款 is unresolved.
-- A 7-digit sub-item of a 款 (重庆: 3010201 规范性津补贴 under 30102) is part of its 款, not counted again.
with coded as (
    select
        d.disclosure_id,
        d.source_file,
        l.document_id,
        l.statement,
        l.basis,
        l.level,
        l.source_locator,
        l.raw_label,
        l.amount,
        coalesce(l.code, regexp_replace(l.printed_code, '\D', '', 'g')) as digits
    from {{ ref('stg_economic_lines') }} as l
    inner join {{ ref('int_documents') }} as d using (document_id)
    where l.amount is not null
),

lines as (
    select *, coalesce(level = '类', length(digits) = 3) as is_class
    from coded
    where length(digits) in (3, 5) or level = '类'
),

per_class as (
    select
        disclosure_id,
        document_id,
        statement,
        basis,
        left(digits, 3) as class_code,
        sum(amount) filter (where is_class) as stated_amount,
        sum(amount) filter (where not is_class) as items_amount,
        count(*) filter (where not is_class) as item_count,
        min(source_file) as source_file,
        min(source_locator) filter (where is_class) as source_locator,
        min(raw_label) filter (where is_class) as class_label
    from lines
    group by all
)

select
    {{ check_row(
        'economic_class_vs_items',
        severity=rounding_severity('stated_amount - items_amount', 'item_count'),
        expected='stated_amount',
        actual='items_amount',
        message="basis || ' ' || class_code || ' ' || class_label || ' states ' || stated_amount
            || ' but its ' || item_count || ' 款 lines sum to ' || items_amount || ' (' || statement || ')'",
    ) }}
from per_class
where stated_amount is not null and item_count > 0 and stated_amount <> items_amount
