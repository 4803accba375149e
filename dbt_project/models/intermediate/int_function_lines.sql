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

ranked as (
    select
        m.*,
        row_number() over (
            partition by m.disclosure_id, m.basis, coalesce(m.code, 'label:' || m.raw_label || m.printed_code)
            -- a statement by function over a summary table's restatement of its 类 (收支总表), over a narrative's
            order by
                (m.amount is null), (m.statement = 'narrative'),
                coalesce(k.table_kind in ('summary', 'fiscal_grant_summary'), false), m.source_file, m.line_no
        ) = 1 as is_chosen
    from merged as m
    left join statement_kinds as k using (statement)
)

select * from ranked
