-- One row per disclosure × accounting identity of the coverage report: holds (every comparison
-- that could be made agrees, to the rounding policy), fails (a comparison is a warn finding,
-- quoted), or not_checkable (a side is missing: the total, or the parts, were not read).
-- The identities and the checks that compare them (int_identity_comparisons.check_name):
{%- set identities = [
    ('summary_balance', '收支总表 收入 = 支出 (本年收入 + 结转 = 本年支出 + 结转)', ['summary_balance']),
    ('summary_totals', '收支总表 总计 = 总计 (收入总计 = 支出总计)', ['summary_totals']),
    ('classes_vs_total', "类 lines = the statement's total", ['function_classes_vs_total']),
    ('basic_plus_project', '基本支出 + 项目支出 = 支出合计', ['identity_expenditure_total']),
    ('personnel_plus_public', '人员经费 + 公用经费 = 基本支出', ['identity_gpb_basic_expenditure']),
    ('sangong_parts', '三公 parts = 三公 total (购置 + 运行 = 公务用车)', ['identity_sangong_total', 'identity_sangong_vehicle']),
    ('gpb_vs_fiscal_grant_summary', '一般公共预算支出表 合计 = 财政拨款收支总表 一般公共预算', ['gpb_vs_fiscal_grant_summary']),
] %}
with identities as (
    select listed.* from (
        values
        {%- for identity, name_zh, check_names in identities %}
            (
                {{ loop.index }}, '{{ identity }}', '{{ name_zh | replace("'", "''") }}',
                '{{ check_names | join(", ") }}'
            ){{ ',' if not loop.last }}
        {%- endfor %}
    ) as listed (identity_order, identity, name_zh, check_names)
),

identity_checks as (
    select listed.* from (
        values
        {%- for identity, name_zh, check_names in identities %}{% set outer = loop %}
            {%- for check_name in check_names %}
                ('{{ identity }}', '{{ check_name }}'){{ ',' if not (outer.last and loop.last) }}
            {%- endfor %}
        {%- endfor %}
    ) as listed (identity, check_name)
),

grid as (
    -- every disclosure × identity, unnested (no cross product: the plans stay hash joins)
    select disclosure_id, unnest(range(1, {{ identities | length + 1 }})) as identity_order
    from {{ ref('int_disclosures') }}
),

comparisons as (
    select i.identity, c.*
    from {{ ref('int_identity_comparisons') }} as c
    inner join identity_checks as i using (check_name)
),

per_identity as (
    select
        disclosure_id,
        identity,
        count(*) filter (where is_checkable) as comparisons_made,
        count(*) filter (where severity = 'warn') as comparisons_failed,
        -- the first failing comparison (by check and subject), else the first that holds
        arg_min(
            struct_pack(
                message, source_file, source_locator, quote, other_source_file, other_source_locator, other_quote
            ),
            struct_pack(
                is_not_failing := severity is distinct from 'warn',
                is_not_made := not is_checkable,
                check_name,
                subject
            )
        ) as shown,
        string_agg(distinct missing_side, '; ' order by missing_side) filter (where not is_checkable) as missing_sides
    from comparisons
    group by all
)

select
    d.disclosure_id,
    i.identity_order,
    i.identity,
    i.name_zh,
    i.check_names,
    case
        when p.comparisons_failed > 0 then 'fails'
        when p.comparisons_made > 0 then 'holds'
        else 'not_checkable'
    end as status,
    coalesce(p.comparisons_made, 0) as comparisons_made,
    coalesce(p.comparisons_failed, 0) as comparisons_failed,
    case
        when p.comparisons_failed > 0 then p.shown.message
        when p.comparisons_made > 0 then p.comparisons_made || ' comparison(s) agree'
        else coalesce(p.missing_sides, 'none of its figures read')
    end as detail,
    case when p.comparisons_made > 0 then p.shown.source_file end as source_file,
    case when p.comparisons_made > 0 then p.shown.source_locator end as source_locator,
    case when p.comparisons_failed > 0 then p.shown.quote end as quote,
    case when p.comparisons_failed > 0 then p.shown.other_source_file end as other_source_file,
    case when p.comparisons_failed > 0 then p.shown.other_source_locator end as other_source_locator,
    case when p.comparisons_failed > 0 then p.shown.other_quote end as other_quote
from grid as d
inner join identities as i using (identity_order)
left join per_identity as p on p.disclosure_id = d.disclosure_id and p.identity = i.identity
