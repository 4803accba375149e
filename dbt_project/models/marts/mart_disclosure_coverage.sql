-- The coverage report of every disclosure, one row per item: each standard part of its phase
-- (ref_standard_part: found or missing, and where) and each accounting identity (holds, fails
-- with the finding and its quotes, or not_checkable with the side that is missing).
-- `juesuan coverage` prints it per disclosure.
with parts as (
    select
        disclosure_id,
        'part' as item_type,
        row_number() over (partition by disclosure_id order by kind desc, section asc) as item_order,
        section as item,
        kind,
        name_zh,
        case when is_present then 'found' else 'missing' end as status,
        case when is_present then 'found at ' || source_locator else 'not found' end as detail,
        source_file,
        source_locator,
        null::varchar as quote,
        null::varchar as other_source_file,
        null::varchar as other_source_locator,
        null::varchar as other_quote
    from {{ ref('int_disclosure_parts') }}
),

identities as (
    select
        disclosure_id,
        'identity' as item_type,
        identity_order as item_order,
        identity as item,
        null::varchar as kind,
        name_zh,
        status,
        detail,
        source_file,
        source_locator,
        quote,
        other_source_file,
        other_source_locator,
        other_quote
    from {{ ref('int_disclosure_identities') }}
),

items as (
    select * from parts
    union all
    select * from identities
)

select
    d.department_id,
    d.department_name,
    d.fiscal_year,
    d.phase,
    d.scope,
    i.item_type,
    i.item_order,
    i.item,
    i.kind,
    i.name_zh,
    i.status,
    i.detail,
    i.source_file,
    i.source_locator,
    i.quote,
    i.other_source_file,
    i.other_source_locator,
    i.other_quote,
    i.disclosure_id
from items as i
inner join {{ ref('int_disclosures') }} as d using (disclosure_id)
order by d.department_id asc, d.fiscal_year asc, d.phase asc, d.scope asc, i.item_type desc, i.item_order asc
