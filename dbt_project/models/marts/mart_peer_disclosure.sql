-- One row per disclosure with what a like-for-like comparison needs: the department's type and place,
-- the phase, scope and consolidation, the comparison basis they make (预算 · 部门 · 汇总 …), the peer
-- group (type × comparison basis) and the disclosure's verdict. Two disclosures are compared only
-- within one comparison basis: never 预算 with 决算, 部门 with 单位, or 本级 with the department and
-- its units.
with disclosures as (
    select * from {{ ref('fct_disclosure') }}
),

consolidation as (
    {{ disclosure_consolidation() }}
),

based as (
    select
        d.*,
        t.department_type,
        t.province,
        t.city,
        t.place,
        t.admin_level,
        coalesce(c.consolidation, '') as consolidation,
        d.phase || '|' || d.scope || case
            when d.scope = 'unit' then ''
            when c.consolidation = 'own_level' then '|own_level'
            else '|with_units'
        end as comparison_basis,
        case d.phase when 'final' then '决算' when 'budget' then '预算' else d.phase end
        || case
            when d.scope = 'unit' then ' · 单位'
            when c.consolidation = 'own_level' then ' · 部门 · 本级'
            else ' · 部门 · 汇总'
        end as comparison_basis_zh
    from disclosures as d
    left join consolidation as c using (disclosure_id)
    left join {{ ref('mart_department_type') }} as t using (department_id)
)

select
    disclosure_id,
    department_id,
    department_name,
    department_type,
    province,
    city,
    place,
    admin_level,
    fiscal_year,
    phase,
    scope,
    consolidation,
    comparison_basis,
    comparison_basis_zh,
    case when department_type is not null then department_type || ' · ' || comparison_basis_zh end as peer_group,
    verdict,
    warn_findings,
    info_findings,
    unresolved_labels,
    completeness_score,
    staff_actual,
    source_files
from based
