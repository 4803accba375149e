-- One value per disclosure × metric × qualifier × measure × unit (2批次 and 69人次 are two
-- counts, not a restatement). Which statement gives the value, in this order:
--   1. one with a value (a value DECIMAL(18, 6) could not hold is NULL, reported by int_check_amounts);
--   2. a table's (section 'table:…', source_rank 0) over the narrative's restatement: a narrative
--      that restates a table figure with another value (its own typo) does not reach the marts;
--   3. the first stated (file, then order in the file).
-- Every other statement stays in int_figures; int_check_restatement reports those that differ,
-- quoting both. fct_disclosure, mart_department_year, fct_metric_yoy and mart_budget_execution take
-- their values from here.
with figures as (
    select * from {{ ref('int_figures') }}
    where measure <> 'reason' and measure <> 'components'
),

-- the winner of each key, found on narrow columns (a window over the full rows, quotes
-- included, sorted every wide row and cost 3x as much at 10,000 documents)
firsts as (
    select
        disclosure_id,
        metric,
        qualifier,
        measure,
        unit,
        count(*) as statement_count,
        arg_min(
            struct_pack(document_id, figure_no),
            struct_pack(has_no_value := resolved_value is null, source_rank, source_file, figure_no)
        ) as first_statement
    from figures
    group by disclosure_id, metric, qualifier, measure, unit
)

select
    f.disclosure_id,
    f.metric,
    f.qualifier,
    f.measure,
    f.resolved_value as value,
    f.unit,
    f.printed_value,
    f.printed_unit,
    f.is_confirmed_unit_slip,
    k.statement_count,
    f.section,
    f.source_file,
    f.source_locator,
    f.quote
from figures as f
inner join firsts as k
on f.document_id = k.first_statement.document_id
    and f.figure_no = k.first_statement.figure_no
