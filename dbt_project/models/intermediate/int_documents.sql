-- One row per parsed document with the disclosure it belongs to.
-- A disclosure is department × fiscal year × phase × scope, and own level or not: a narrative PDF
-- and a tables PDF of the same department-year-phase merge into one disclosure; a department's
-- （本级） budget and its （汇总） budget of the same year stay two.
with documents as (
    select * from {{ ref('stg_documents') }}
),

keyed as (
    select
        *,
        concat_ws(
            '|',
            disclosure_department_id,
            coalesce(fiscal_year::varchar, 'unknown'),
            coalesce(phase, 'unknown'),
            coalesce(scope, 'department'),
            -- the department's own level alone (（本级）, 机关) is another disclosure than the department
            -- with its units; a document that does not say is the latter, as a 部门预算's tables PDF
            -- beside its narrative that says 本部门预算为汇总预算
            case when consolidation = 'own_level' then consolidation end
        ) as disclosure_id
    from documents
)

select * from keyed
