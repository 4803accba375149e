-- One wide row per department × year for cross-department work: the final accounts where a
-- 决算 is loaded, else the budget; the 部门 scope where both 部门 and 单位 are loaded.
with disclosures as (
    select
        *,
        row_number() over (
            partition by department_id, fiscal_year
            order by (phase = 'final') desc, (scope = 'department') desc
        ) as preference
    from {{ ref('fct_disclosure') }}
),

chosen as (
    select * from disclosures
    where preference = 1
),

codes as (
    -- the codes by item (seed ref_analysis_code): death_benefit 死亡抚恤, admin_retirees and
    -- institution_retirees 离退休, pension_benefit_economic 抚恤金
    select item, classification, code from {{ ref('stg_ref_analysis_code') }}
),

functions as (
    select
        f.disclosure_id,
        -- prefer the 一般公共预算 statement; fall back to all funds
        {% for item, column in [
            ('death_benefit', 'death_benefit_2080801'),
            ('admin_retirees', 'admin_retirees_2080501'),
            ('institution_retirees', 'institution_retirees_2080502'),
        ] %}
        coalesce(
            max(f.amount) filter (where c.item = '{{ item }}' and f.basis = 'general_budget'),
            max(f.amount) filter (where c.item = '{{ item }}' and f.basis = 'all_funds')
        ) as {{ column }}{{ ',' if not loop.last }}
    {% endfor %}
    from {{ ref('fct_function_amount') }} as f
    inner join codes as c on c.classification = 'function' and c.code = f.code
    group by f.disclosure_id
),

economic as (
    -- from the 基本支出 tables (not the 机关运行经费 table, basis operating_cost)
    select
        e.disclosure_id,
        max(e.amount) filter (
            where c.item = 'pension_benefit_economic' and e.basis like '%basic'
        ) as pension_benefit_30304
    from {{ ref('fct_economic_amount') }} as e
    inner join codes as c on c.classification = 'economic' and c.code = e.code
    group by e.disclosure_id
)

select
    c.department_id,
    c.department_name,
    dep.province,
    dep.city,
    dep.county,
    dep.admin_level,
    c.fiscal_year,
    c.phase,
    c.scope,
    c.total_expenditure,
    c.basic_expenditure,
    c.project_expenditure,
    {{ safe_decimal('c.basic_expenditure / nullif(c.total_expenditure, 0) * 100') }} as basic_share_pct,
    {{ safe_decimal('c.project_expenditure / nullif(c.total_expenditure, 0) * 100') }} as project_share_pct,
    c.personnel_expenditure,
    c.public_expenditure,
    {{ safe_decimal('c.personnel_expenditure / nullif(c.personnel_expenditure + c.public_expenditure, 0) * 100') }}
        as personnel_share_pct,
    {{ safe_decimal('c.public_expenditure / nullif(c.personnel_expenditure + c.public_expenditure, 0) * 100') }}
        as public_share_pct,
    c.gpb_expenditure,
    c.sangong_total,
    c.operating_cost,
    c.staff_authorized,
    c.staff_actual,
    {{ safe_decimal('c.sangong_total / nullif(c.staff_actual, 0)', 4) }} as sangong_per_staff,
    {{ safe_decimal('c.operating_cost / nullif(c.staff_actual, 0)', 4) }} as operating_cost_per_staff,
    f.death_benefit_2080801,
    {{ safe_decimal('f.death_benefit_2080801 / nullif(coalesce(c.gpb_expenditure, c.total_expenditure), 0) * 100') }}
        as death_benefit_share_pct,
    e.pension_benefit_30304,
    {{ safe_decimal('e.pension_benefit_30304 / nullif(c.basic_expenditure, 0) * 100') }}
        as pension_benefit_share_of_basic_pct,
    f.admin_retirees_2080501,
    f.institution_retirees_2080502,
    c.source_files,
    c.disclosure_id
from chosen as c
left join {{ ref('dim_department') }} as dep using (department_id)
left join functions as f using (disclosure_id)
left join economic as e using (disclosure_id)
