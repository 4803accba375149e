-- Every stated figure with its disclosure, and unit slips resolved.
-- A money figure printed in 元 in a section whose money is otherwise in 万元 is a
-- suspected unit slip; it is *confirmed* when its printed number, read as 万元, equals
-- the sum of its parts (ref_metric.parent_metric) or the same metric stated in 万元
-- elsewhere in the disclosure. Confirmed slips are read as 万元; the check lists both.
with figures as (
    select * from {{ ref('stg_figures') }}
),

documents as (
    select document_id, disclosure_id, source_file from {{ ref('int_documents') }}
),

metrics as (
    select * from {{ ref('stg_ref_metric') }}
),

joined as (
    select
        d.disclosure_id,
        d.source_file,
        f.*,
        case
            when f.unit = '万元' then try_cast(replace(f.printed_value, ',', '') as decimal(18, 6))
                * case when f.measure = 'change_amount' and f.value < 0 then -1 else 1 end
        end as printed_as_wan
    from figures as f
    inner join documents as d using (document_id)
),

document_units as (
    -- per document and section: a budget's tables in 元 beside its narrative in 万元 are no slip
    -- the unit of strictly more figures; a tie names none, and then no figure is suspected
    select
        document_id,
        section,
        case
            when count(*) filter (where printed_unit = '万元') > count(*) filter (where printed_unit = '元') then '万元'
            when count(*) filter (where printed_unit = '元') > count(*) filter (where printed_unit = '万元') then '元'
        end as dominant_unit
    from joined
    where unit = '万元' and printed_unit in ('万元', '元')
    group by document_id, section
),

parts as (
    select
        j.disclosure_id,
        m.parent_metric as metric,
        j.measure,
        sum(j.value) as parts_sum
    from joined as j
    inner join metrics as m on j.metric = m.metric
    where m.parent_metric is not null and j.printed_unit <> '元'
    group by all
),

flagged as (
    select
        j.*,
        u.dominant_unit,
        coalesce(j.printed_unit = '元' and u.dominant_unit = '万元' and j.value <> 0, false) as is_suspected_unit_slip,
        coalesce(
            j.printed_unit = '元' and u.dominant_unit = '万元' and j.value <> 0
            and (
                p.parts_sum = j.printed_as_wan
                or exists (
                    select 1 from joined as other
                    where other.disclosure_id = j.disclosure_id
                        and other.metric = j.metric and other.qualifier = j.qualifier
                        and other.printed_unit = '万元'
                        and other.value = j.printed_as_wan
                )
            ),
            false
        ) as is_confirmed_unit_slip
    from joined as j
    left join document_units as u using (document_id, section)
    left join parts as p
    on p.disclosure_id = j.disclosure_id and p.metric = j.metric and p.measure = j.measure
),

resolved as (
    select
        *,
        case when is_confirmed_unit_slip then printed_as_wan else value end as resolved_value,
        case when section like 'table:%' then 0 else 1 end as source_rank
    from flagged
)

select * from resolved
