{{ config(materialized='view') }}
-- Labels no code could be given to (unknown or ambiguous): kept, never forced. Each shows how
-- far its printed code does reach: the deepest official code that code lies under (its 类 or 款).
-- A local item (match_method local_item_under_parent: the document's own item under an official
-- 类 or 款, resolved at that level and counted in its roll-up) is listed too, is_local_item true:
-- it is not counted as unresolved (fct_disclosure.unresolved_labels) and makes no verdict 'check first'.
with unresolved as (
    select
        d.department_id,
        d.fiscal_year,
        d.phase,
        d.disclosure_id,
        'function' as classification,
        l.basis,
        l.statement,
        l.printed_code,
        l.raw_label,
        l.match_method,
        l.amount,
        l.source_file,
        l.source_locator,
        l.quote
    from {{ ref('int_function_lines') }} as l
    inner join {{ ref('int_disclosures') }} as d using (disclosure_id)
    where l.code is null
    union all
    select
        d.department_id,
        d.fiscal_year,
        d.phase,
        d.disclosure_id,
        'economic' as classification,
        e.basis,
        e.statement,
        e.printed_code,
        e.raw_label,
        e.match_method,
        e.amount,
        doc.source_file,
        e.source_locator,
        e.quote
    from {{ ref('stg_economic_lines') }} as e
    inner join {{ ref('int_documents') }} as doc using (document_id)
    inner join {{ ref('int_disclosures') }} as d on d.disclosure_id = doc.disclosure_id
    where e.code is null
),

reference as (
    select 'function' as classification, code, name, null::integer as valid_from, null::integer as valid_to
    from {{ ref('stg_ref_function_code') }}
    union all
    select 'economic', code, name, valid_from, valid_to
    from {{ ref('stg_ref_economic_code') }}
),

printed as (
    select *, regexp_replace(printed_code, '\D', '', 'g') as digits from unresolved
)

select
    p.department_id,
    p.fiscal_year,
    p.phase,
    p.disclosure_id,
    p.classification,
    p.basis,
    p.statement,
    p.printed_code,
    p.raw_label,
    p.match_method,
    -- a local item whose printed code does not say its parent (a last segment only) stays unresolved
    p.match_method = 'local_item_under_parent' and coalesce(kuan.code, class.code) is not null as is_local_item,
    coalesce(kuan.code, class.code) as parent_code,
    coalesce(kuan.name, class.name) as parent_name,
    p.amount,
    p.source_file,
    p.source_locator,
    p.quote
from printed as p
left join reference as class
on class.classification = p.classification
    and class.code = left(p.digits, 3)
    and length(p.digits) > 3
    and {{ code_valid_in('class', 'p.fiscal_year') }}
left join reference as kuan
on kuan.classification = p.classification
    and kuan.code = left(p.digits, 5)
    and length(p.digits) > 5
    and {{ code_valid_in('kuan', 'p.fiscal_year') }}
