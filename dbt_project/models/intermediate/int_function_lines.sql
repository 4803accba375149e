-- Every 类/款/项 line with its disclosure; for each disclosure × basis × code the line a
-- table states is chosen over the narrative's restatement (is_chosen).
with lines as (
    select * from {{ ref('stg_function_lines') }}
),

documents as (
    select document_id, disclosure_id, source_file from {{ ref('int_documents') }}
),

joined as (
    select d.disclosure_id, d.source_file, l.*
    from lines as l
    inner join documents as d using (document_id)
),

ranked as (
    select
        *,
        row_number() over (
            partition by disclosure_id, basis, coalesce(code, 'label:' || raw_label || printed_code)
            order by (statement = 'narrative'), source_file, line_no
        ) = 1 as is_chosen
    from joined
)

select * from ranked
