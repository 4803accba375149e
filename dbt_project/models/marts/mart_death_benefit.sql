-- One row per disclosure that states amounts by function: where 抚恤 (款 20808) sits, decomposed into
-- 死亡抚恤 (2080801), 伤残抚恤 (2080802) and the rest of the 款, as a share of 社会保障和就业支出 (类 208)
-- of the same statement; 抚恤金 (30304) beside 人员经费 (301 + 303) of the same economic statement; the
-- retiree lines (2080501, 2080502) and staffing where stated; the stated reasons that name 抚恤.
-- The codes are read by item from seed ref_analysis_code; each disclosure's statement (basis) is the
-- most preferred it has (seed ref_basis_preference), so numerator and denominator always share one.
-- A disclosure with no 20808 line has no 抚恤 (pension_status 'none') only when its statement is
-- complete: its 类 lines add up to the statement's total, and its 208 line (if any) to its 款 lines.
{%- set function_items = [
    'social_security', 'pension_benefits', 'death_benefit', 'disability_benefit', 'admin_retirees', 'institution_retirees',
] %}
with codes as (
    select * from {{ ref('stg_ref_analysis_code') }}
),

function_lines as (
    select
        f.disclosure_id, f.basis, f.code, f.level, f.amount, f.stated_amount, f.rollup_amount, f.class_code,
        f.source_file, f.source_locator, p.preference
    from {{ ref('fct_function_amount') }} as f
    inner join {{ ref('stg_ref_basis_preference') }} as p on p.classification = 'function' and p.basis = f.basis
),

chosen_basis as (
    select disclosure_id, arg_min(basis, preference) as basis
    from function_lines
    group by disclosure_id
),

-- the statement's 类 lines add up to its total (int_identity_comparisons: rounding allowed)
complete_statements as (
    select disclosure_id, subject as basis
    from {{ ref('int_identity_comparisons') }}
    where check_name = 'function_classes_vs_total' and is_checkable and coalesce(severity, 'info') = 'info'
),

kuan_counts as (
    select disclosure_id, basis, class_code, count(*) as kuan_lines
    from function_lines
    where level = '款'
    group by disclosure_id, basis, class_code
),

function_items as (
    select
        l.disclosure_id,
        l.basis,
        {% for item in function_items %}
            max(l.amount) filter (where c.item = '{{ item }}') as {{ item }},
        {% endfor %}
        -- the 208 line against its 款 lines: ≤ rounding_per_summed_row (0.01 万元) per 款 is rounding
        bool_or(
            c.item = 'social_security' and abs(l.stated_amount - l.rollup_amount)
            > {{ amount_rule('rounding_per_summed_row') }} * coalesce(k.kuan_lines, 1))
            as is_class_incomplete,
        arg_min(
            struct_pack(l.source_file, l.source_locator),
            (c.item <> 'pension_benefits', l.source_file, l.source_locator)
        )
        filter (where c.item in ('pension_benefits', 'social_security')) as statement
    from function_lines as l
    inner join chosen_basis using (disclosure_id, basis)
    left join codes as c on c.classification = 'function' and c.code = l.code
    left join kuan_counts as k on k.disclosure_id = l.disclosure_id and k.basis = l.basis and k.class_code = l.code
    group by l.disclosure_id, l.basis
),

economic_lines as (
    select e.disclosure_id, e.basis, e.code, e.amount, p.preference
    from {{ ref('fct_economic_amount') }} as e
    inner join {{ ref('stg_ref_basis_preference') }} as p on p.classification = 'economic' and p.basis = e.basis
    inner join codes as c on c.classification = 'economic' and c.code = e.code
),

economic_basis as (
    select disclosure_id, arg_min(basis, preference) as basis from economic_lines
    group by disclosure_id
),

economic_items as (
    select
        e.disclosure_id,
        e.basis as economic_basis,
        max(e.amount) filter (where c.item = 'pension_benefit_economic') as pension_benefit_economic,
        max(e.amount) filter (where c.item = 'personnel_wages') as personnel_wages,
        max(e.amount) filter (where c.item = 'personnel_household') as personnel_household
    from economic_lines as e
    inner join economic_basis using (disclosure_id, basis)
    inner join codes as c on c.classification = 'economic' and c.code = e.code
    group by e.disclosure_id, e.basis
),

reasons as (
    select
        r.disclosure_id,
        count(*) as reasons,
        string_agg(distinct r.reason_text, '；' order by r.reason_text) as reason_texts
    from (select *, 'pension_benefits' as item from {{ ref('fct_stated_reason') }}) as r
    inner join codes as c using (item)
    where r.quote like '%' || c.name_zh || '%'
    group by r.disclosure_id
),

-- the same department's 抚恤 the year before, on the same statement, like for like (fct_metric_yoy)
changes as (
    select
        y.disclosure_id,
        split_part(y.metric, ':', 1) as basis,
        y.prior_value,
        y.change,
        y.change_pct,
        y.prior_source,
        y.is_comparable,
        y.comparability_quote
    from {{ ref('fct_metric_yoy') }} as y
    inner join codes as c on c.code = split_part(y.metric, ':', 2)
    where y.is_preferred and c.classification = 'function' and c.item = 'pension_benefits'
),

benefits as (
    select
        f.*,
        s.basis is not null as is_complete_statement,
        case
            when f.pension_benefits is not null then 'stated'
            when s.basis is not null and not coalesce(f.is_class_incomplete, false) then 'none'
            else 'unknown'
        end as pension_status
    from function_items as f
    left join complete_statements as s using (disclosure_id, basis)
)

select
    p.disclosure_id,
    p.department_id,
    p.department_name,
    p.department_type,
    p.place,
    p.admin_level,
    p.fiscal_year,
    p.phase,
    p.scope,
    p.consolidation,
    p.comparison_basis,
    p.comparison_basis_zh,
    p.peer_group,
    p.verdict,
    b.basis,
    b.pension_status,
    -- a statement that is complete and has no line of an item spends nothing on it
    case
        when b.pension_status = 'none' then coalesce(b.social_security, 0) else b.social_security
    end as social_security,
    case when b.pension_status = 'none' then 0 else b.pension_benefits end as pension_benefits,
    case
        when b.pension_status = 'none' then 0
        else coalesce(b.death_benefit, case when b.pension_status = 'stated' then 0 end)
    end as death_benefit,
    case
        when b.pension_status = 'none' then 0
        else coalesce(b.disability_benefit, case when b.pension_status = 'stated' then 0 end)
    end as disability_benefit,
    case
        when b.pension_status = 'none' then 0
        when b.pension_status = 'stated'
            then b.pension_benefits - coalesce(b.death_benefit, 0) - coalesce(b.disability_benefit, 0)
    end as other_pension_benefits,
    {{ safe_decimal(
        'case when b.pension_status = \'none\' then 0 else b.pension_benefits end'
        ~ ' / nullif(b.social_security, 0) * 100'
    ) }}
        as pension_share_of_social_security_pct,
    b.admin_retirees,
    b.institution_retirees,
    e.economic_basis,
    e.pension_benefit_economic,
    e.personnel_wages + e.personnel_household as personnel_economic,
    {{ safe_decimal('e.pension_benefit_economic / nullif(e.personnel_wages + e.personnel_household, 0) * 100') }}
        as pension_benefit_share_of_personnel_pct,
    p.staff_actual,
    {{ safe_decimal('b.pension_benefits / nullif(p.staff_actual, 0)', 4) }} as pension_benefits_per_staff,
    y.prior_value as pension_benefits_prior,
    y.change as pension_benefits_change,
    y.change_pct as pension_benefits_change_pct,
    y.prior_source as pension_benefits_prior_source,
    y.is_comparable as is_pension_change_comparable,
    y.comparability_quote as pension_change_comparability_quote,
    coalesce(r.reasons, 0) as stated_reasons,
    r.reason_texts,
    b.statement.source_file,
    b.statement.source_locator
from benefits as b
inner join {{ ref('mart_peer_disclosure') }} as p using (disclosure_id)
left join economic_items as e using (disclosure_id)
left join reasons as r using (disclosure_id)
left join changes as y on y.disclosure_id = b.disclosure_id and y.basis = b.basis
