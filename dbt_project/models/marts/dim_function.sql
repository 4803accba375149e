-- 支出功能分类科目: one row per code, with its 类 and 款 for drill-down.
with codes as (
    select * from {{ ref('stg_ref_function_code') }}
),

named as (
    select
        c.code,
        c.level,
        c.name,
        c.parent_code,
        left(c.code, 3) as class_code,
        class.name as class_name,
        case when length(c.code) >= 5 then left(c.code, 5) end as kuan_code,
        kuan.name as kuan_name,
        c.valid_from,
        c.valid_to,
        c.source
    from codes as c
    left join codes as class on class.code = left(c.code, 3)
    left join codes as kuan on kuan.code = left(c.code, 5) and length(c.code) >= 5
)

select * from named
