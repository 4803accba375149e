-- Every stated figure with its disclosure, and unit slips resolved.
-- A money figure printed in 元 in a section whose money is otherwise in 万元 is a
-- suspected unit slip; it is *confirmed* when its printed number, read as 万元, equals
-- the sum of its parts (ref_metric.parent_metric) or the same metric stated in 万元
-- elsewhere in the disclosure. Confirmed slips are read as 万元; the check lists both.
-- A figure's value with a confirmed unit slip read as 万元, and 0 for a table's figure, 1 for the
-- narrative's (tables win): written once here, used by the choice (statement_order) and the output (flagged),
-- both over stg_figures as f left-joined to the confirmed slips as c
{%- set resolved_value = "case when c.figure_no is not null then " ~ printed_as_wan('f') ~ " else f.value end" %}
{%- set source_rank = "case when f.section like 'table:%' then 0 else 1 end" %}

-- not materialized: each use reads stg_figures with only the columns it needs; materialised, the
-- CTE held every wide column (quotes) of 11 M rows and spilled 3.9 GB (100,000 documents: 12 s → 6.5 s)
with figures as not materialized (
    select * from {{ ref('stg_figures') }}
),

-- disclosure_key and file_rank: narrow integers standing for disclosure_id and source_file, equal and
-- ordered exactly as the texts are, for choosing each key's statement (statement_order below). They are
-- this model's own, computed on every run and never stored: a delta build (ingest/warehouse/delta.py)
-- recomputes a few departments' rows alone, and a rank kept in a table would be renumbered over those
-- few; is_chosen, compared within one disclosure, comes out the same either way.
documents as (
    select
        document_id,
        disclosure_id,
        source_file,
        dense_rank() over (order by disclosure_id) as disclosure_key,
        dense_rank() over (order by source_file) as file_rank
    from {{ ref('int_documents') }}
),

metrics as (
    select * from {{ ref('stg_ref_metric') }}
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
    from figures
    where unit = '万元' and printed_unit in ('万元', '元')
    group by document_id, section
),

-- the slip logic runs on narrow columns, and only on the disclosures that have a suspect (few):
-- carried over every wide row (quotes included) it cost more than the rest of the model
suspects as (
    select
        d.disclosure_id,
        f.document_id,
        f.figure_no,
        f.metric,
        f.qualifier,
        f.measure,
        {{ printed_as_wan('f') }} as printed_as_wan
    from figures as f
    inner join document_units as u using (document_id, section)
    inner join documents as d using (document_id)
    where f.printed_unit = '元' and u.dominant_unit = '万元' and f.value <> 0
),

-- every figure of a disclosure that has a suspect
neighbours as (
    select
        d.disclosure_id,
        f.metric,
        f.qualifier,
        f.measure,
        f.value,
        f.printed_unit
    from figures as f
    inner join documents as d using (document_id)
    where d.disclosure_id in (select s.disclosure_id from suspects as s)
),

parts as (
    select
        n.disclosure_id,
        m.parent_metric as metric,
        n.measure,
        sum(n.value) as parts_sum
    from neighbours as n
    inner join metrics as m on n.metric = m.metric
    where m.parent_metric is not null and n.printed_unit <> '元'
    group by all
),

-- the same metric stated in 万元 elsewhere in the disclosure with the suspect's number
restated_in_wan as (
    select distinct
        s.document_id,
        s.figure_no
    from suspects as s
    inner join neighbours as n
    on n.disclosure_id = s.disclosure_id and n.metric = s.metric and n.qualifier = s.qualifier
        and n.value = s.printed_as_wan
    where n.printed_unit = '万元'
),

confirmed as (
    select
        s.document_id,
        s.figure_no
    from suspects as s
    left join parts as p
    on p.disclosure_id = s.disclosure_id and p.metric = s.metric and p.measure = s.measure
    left join restated_in_wan as r
    on r.document_id = s.document_id and r.figure_no = s.figure_no
    where p.parts_sum = s.printed_as_wan or r.figure_no is not null
),

-- The statement int_disclosure_metrics takes for each disclosure × metric × qualifier × measure × unit
-- (2批次 and 69人次 are two counts, not a restatement), in this order:
--   1. one with a value (a value DECIMAL(18, 6) could not hold is NULL, reported by int_check_amounts);
--   2. a table's (section 'table:…') over the narrative's restatement: a narrative that restates a table
--      figure with another value (its own typo) does not reach the marts;
--   3. the first stated (file, then order in the file).
-- The order is packed into one BIGINT whose minimum is the chosen statement: no value (bit 62), not a
-- table's (bit 61), file rank (bits 32-60), figure_no (bits 0-31); bits 0-60 name the figure, and the
-- chosen one is joined back on them. Found here, on narrow columns, instead of in a model of its own
-- that wrote the 10 M chosen rows again with their quotes: int_disclosure_metrics is now a view of the
-- chosen rows (100,000 documents: int_figures 7.7 s + int_disclosure_metrics 7.5 s → 10.0 s).
statement_order as (
    select
        d.disclosure_key,
        f.metric,
        f.qualifier,
        f.measure,
        f.unit,
        ((({{ resolved_value }}) is null)::bigint << 62)
        | (({{ source_rank }})::bigint << 61)
        | (d.file_rank << 32)
        | f.figure_no::bigint as statement_order
    from figures as f
    inner join documents as d using (document_id)
    left join confirmed as c using (document_id, figure_no)
    where f.measure <> 'reason' and f.measure <> 'components'
),

chosen as (
    select
        min(statement_order) & ((1::bigint << 61) - 1) as figure_key,
        count(*) as statement_count
    from statement_order
    group by disclosure_key, metric, qualifier, measure, unit
),

flagged as (
    select
        d.disclosure_id,
        d.source_file,
        f.*,
        {{ printed_as_wan('f') }} as printed_as_wan,
        u.dominant_unit,
        coalesce(f.printed_unit = '元' and u.dominant_unit = '万元' and f.value <> 0, false) as is_suspected_unit_slip,
        c.figure_no is not null as is_confirmed_unit_slip,
        k.figure_key is not null as is_chosen,
        k.statement_count,
        {{ resolved_value }} as resolved_value,
        {{ source_rank }} as source_rank
    from figures as f
    inner join documents as d using (document_id)
    left join document_units as u using (document_id, section)
    left join confirmed as c using (document_id, figure_no)
    left join chosen as k on k.figure_key = (d.file_rank << 32) | f.figure_no::bigint
)

select * from flagged
