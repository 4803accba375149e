-- One row per disclosure × basis × code at 类, 款 and 项: the stated amount where the
-- document states it, beside the roll-up of its children (款 ← 项, 类 ← 款, or 类 ← 项 when
-- no 款 is stated). A 类 or 款 the document never states is derived from its children
-- (amount_source = 'rollup') so every level can be queried. A local item (a 项 of the document's
-- own list under an official 款, code NULL) counts in its 款's roll-up; it has no row of its own.
with chosen_lines as (
    select * from {{ ref('int_function_lines') }}
    where is_chosen and amount is not null and (code is not null or is_local_item)
),

chosen as (
    select * from chosen_lines
    where code is not null
),

items as (
    -- 项 lines, local items included, each with the 项 code it rolls up as (a local item: its 款 + '··')
    select *, coalesce(code, parent_code || '··') as rollup_code
    from chosen_lines
    where level = '项' and (code is not null or length(parent_code) = 5)
),

kuan_rollup as (
    {{ rollup_of('items', 'left(rollup_code, 5)') }}
),

stated_kuan as (
    select * from chosen
    where level = '款'
),

class_from_kuan as (
    {{ rollup_of('stated_kuan', 'left(code, 3)') }}
),

class_from_items as (
    {{ rollup_of('items', 'left(rollup_code, 3)') }}
),

class_rollup as (
    -- prefer the stated 款 as children; fall back to 项 where no 款 is stated
    select
        coalesce(k.disclosure_id, i.disclosure_id) as disclosure_id,
        coalesce(k.basis, i.basis) as basis,
        coalesce(k.code, i.code) as code,
        {%- for column in rollup_columns() %}
            coalesce(k.{{ column }}, i.{{ column }}) as {{ column }},
        {%- endfor %}
        case when k.code is not null then '款' else '项' end as rollup_from
    from class_from_kuan as k
    full outer join class_from_items as i using (disclosure_id, basis, code)
),

rollups as (
    select disclosure_id, basis, code, {{ rollup_columns() | join(', ') }}, '项' as rollup_from
    from kuan_rollup
    union all
    select disclosure_id, basis, code, {{ rollup_columns() | join(', ') }}, rollup_from
    from class_rollup
),

keys as (
    select disclosure_id, basis, code, level from chosen
    union
    select disclosure_id, basis, code, case length(code) when 3 then '类' else '款' end from rollups
),

combined as (
    select
        k.disclosure_id,
        k.basis,
        k.code,
        k.level,
        c.raw_label,
        c.printed_code,
        c.statement,
        c.amount as stated_amount,
        r.rollup_amount,
        r.child_count,
        -- printed rows behind the roll-up (a child summed from rows of sub-units counts each row): the
        -- rounding a check of the roll-up allows
        coalesce(r.rounding_rows, r.child_count) as rounding_rows,
        r.rollup_from,
        coalesce(c.amount, r.rollup_amount) as amount,
        coalesce(c.basic_amount, case when c.code is null then r.rollup_basic end) as basic_amount,
        coalesce(c.project_amount, case when c.code is null then r.rollup_project end) as project_amount,
        c.budget_amount,
        c.prior_amount,
        c.completion_pct,
        c.share_pct,
        c.reason,
        case when c.code is not null then 'stated' else 'rollup' end as amount_source,
        coalesce(c.match_method, 'rollup') as match_method,
        c.match_score,
        c.source_file,
        c.source_locator,
        c.quote,
        coalesce(c.part_count, 1) as part_count
    from keys as k
    left join chosen as c using (disclosure_id, basis, code)
    left join rollups as r using (disclosure_id, basis, code)
)

select * from combined
