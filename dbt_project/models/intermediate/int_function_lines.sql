-- Every 类/款/项 line with its disclosure; for each disclosure × basis × code the line a
-- table states is chosen over the narrative's restatement (is_chosen), a line with an amount over
-- one without. A local item (match_method local_item_under_parent: a printed code under an
-- official 款 that is no official item, README "From labels to codes") keeps code NULL and
-- names the 款 it counts under (parent_code).
with lines as not materialized (
    select * from {{ ref('stg_function_lines') }}
),

documents as (
    select document_id, disclosure_id, source_file from {{ ref('int_documents') }}
),

joined as (
    select
        d.disclosure_id,
        d.source_file,
        l.*,
        -- a local item's official parent: its printed code one level up (ingest resolves a local item
        -- only there); a code printed as its last segment only ("03" under rows "212" and "08", 烟台)
        -- does not say its parent, and the line stays unresolved
        case
            when l.match_method = 'local_item_under_parent'
                and length(regexp_replace(l.printed_code, '\D', '', 'g')) in (5, 7)
                then
                    left(
                        regexp_replace(l.printed_code, '\D', '', 'g'),
                        length(regexp_replace(l.printed_code, '\D', '', 'g')) - 2
                    )
        end as parent_code
    from lines as l
    inner join documents as d using (document_id)
),

flagged as (
    select *, parent_code is not null as is_local_item from joined
),

-- a code printed once per sub-unit in one table (深圳 支出总表 in blocks per 预算单位): the
-- department's line is the sum of those rows, which stay in stg_function_lines one by one. The sums
-- are grouped on narrow columns and joined back to each group's first line ((document_id, line_no)
-- is unique: a test of stg_function_lines); a window over the wide rows sorted every quote with
-- them (100,000 documents: 5 s of the model's 7 s)
parts as (
    select
        document_id,
        statement,
        basis,
        case when statement <> 'narrative' and code is not null then code else 'line:' || line_no end as part_key,
        min(line_no) as first_line_no,
        count(*) as part_count,
        sum(amount) as summed_amount,
        sum(basic_amount) as summed_basic,
        sum(project_amount) as summed_project,
        sum(budget_amount) as summed_budget,
        sum(prior_amount) as summed_prior
    from lines
    group by all
),

merged as (
    select
        f.* replace (
            p.summed_amount as amount,
            p.summed_basic as basic_amount,
            p.summed_project as project_amount,
            p.summed_budget as budget_amount,
            p.summed_prior as prior_amount,
            case when p.part_count > 1 then f.source_locator || ' (+' || (p.part_count - 1) || ' rows of the same code)'
                else f.source_locator
            end as source_locator
        ),
        p.part_count
    from flagged as f
    inner join parts as p on p.document_id = f.document_id and p.first_line_no = f.line_no
),

statement_kinds as (
    -- the kind of each statement by its title, as the vocabulary reads it (ref_table_title, first match)
    select s.statement, arg_min(t.kind, t.priority) as table_kind
    from (select distinct statement from lines) as s
    inner join {{ ref('stg_ref_table_title') }} as t
    on regexp_matches(regexp_replace(s.statement, '[\s“”"''‘’]', '', 'g'), t.pattern)
    group by s.statement
),

-- The line chosen for each disclosure × basis × code is found on narrow integers, not by a window over
-- the wide rows (quotes and all): the order below is packed into one BIGINT whose minimum is the
-- chosen line, and that line is joined back by (document_id, line_no). The order: a line with an
-- amount (bit 62), then a statement by function over a narrative's restatement (bits 60-61; a
-- statement that is NULL last), over a summary table's restatement of its 类 (收支总表, bit 59), then
-- the first file (its rank, bits 31-58) and line (bits 0-30). (100,000 documents: 3.1 s → 2.3 s.)
-- The file ranks are this model's own, computed on every run and never stored (see
-- int_figures: a delta build recomputes a few departments' rows alone).
document_keys as (
    select
        document_id,
        dense_rank() over (order by source_file) as file_rank
    from {{ ref('int_documents') }}
),

firsts as (
    select
        min(
            ((m.amount is null)::bigint << 62)
            | (coalesce((m.statement = 'narrative')::bigint, 2) << 60)
            | (coalesce(k.table_kind in ('summary', 'fiscal_grant_summary'), false)::bigint << 59)
            | (d.file_rank << 31)
            | m.line_no::bigint
        ) as first_line
    from merged as m
    inner join document_keys as d using (document_id)
    left join statement_kinds as k using (statement)
    group by m.disclosure_id, m.basis, coalesce(m.code, 'label:' || m.raw_label || m.printed_code)
),

chosen as (
    select
        d.document_id,
        (f.first_line & 2147483647)::integer as line_no
    from firsts as f
    inner join document_keys as d on d.file_rank = ((f.first_line >> 31) & 268435455)
),

ranked as (
    select
        m.*,
        c.line_no is not null as is_chosen
    from merged as m
    left join chosen as c on m.document_id = c.document_id and m.line_no = c.line_no
)

select * from ranked
