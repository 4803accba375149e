-- One row per disclosure × basis × economic code (部门预算支出经济分类), the table's line chosen.
with lines as (
    select l.*, d.disclosure_id, d.source_file
    from {{ ref('stg_economic_lines') }} as l
    inner join {{ ref('int_documents') }} as d using (document_id)
    where l.code is not null
),

ranked as (
    select
        *,
        row_number() over (partition by disclosure_id, basis, code order by source_file, line_no) as line_rank
    from lines
)

select * exclude (line_rank) from ranked
where line_rank = 1
