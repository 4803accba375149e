-- One value per disclosure × metric × qualifier × measure × unit (2批次 and 69人次 are two
-- counts, not a restatement). Which statement gives the value, in this order:
--   1. one with a value (a value DECIMAL(18, 6) could not hold is NULL, reported by int_check_amounts);
--   2. a table's (section 'table:…', source_rank 0) over the narrative's restatement: a narrative
--      that restates a table figure with another value (its own typo) does not reach the marts;
--   3. the first stated (file, then order in the file).
-- Every other statement stays in int_figures; int_check_restatement reports those that differ,
-- quoting both. fct_disclosure, mart_department_year, fct_metric_yoy and mart_budget_execution take
-- their values from here.
-- int_figures is read twice, not through one shared CTE: DuckDB materialised such a CTE with every
-- wide column (quotes included) and spilled it to disk (100,000 documents: 5 GB written, 48 s)
-- The winner of each key is found on narrow integers standing for the long texts: ranks of
-- disclosure_id and source_file (over the documents, few) group and compare exactly as the texts
-- do, and the order (1.–3. above) is packed into one BIGINT whose minimum is the winner:
-- has no value (bit 62), not a table's (bit 61), file rank (bits 32–60), figure_no (bits 0–31).
-- (At 100,000 documents: 10 M keys; grouping on the texts with a struct arg_min took 46 s, a
-- window over the full rows 3x that at 10,000.)
-- The ranks are this model's own, computed on every run and never stored: a delta build
-- (ingest/warehouse/delta.py) recomputes a few departments' rows alone, so a rank kept in a
-- table (int_documents) would be renumbered over those few and clash with the others'.
with document_keys as (
    select
        document_id,
        dense_rank() over (order by disclosure_id) as disclosure_key,
        dense_rank() over (order by source_file) as file_rank
    from {{ ref('int_documents') }}
),

-- int_figures is read twice, not through one shared CTE: DuckDB materialised such a CTE with every
-- wide column (quotes included) and spilled it to disk (100,000 documents: 5 GB written, 48 s)
firsts as (
    select
        d.disclosure_key,
        f.metric,
        f.qualifier,
        f.measure,
        f.unit,
        count(*) as statement_count,
        min(
            ((f.resolved_value is null)::bigint << 62)
            | (f.source_rank::bigint << 61)
            | (d.file_rank << 32)
            | f.figure_no::bigint
        ) as first_statement
    from {{ ref('int_figures') }} as f
    inner join document_keys as d using (document_id)
    where f.measure <> 'reason' and f.measure <> 'components'
    group by d.disclosure_key, f.metric, f.qualifier, f.measure, f.unit
),

winners as (
    select
        d.document_id,
        (k.first_statement & 4294967295)::integer as figure_no,
        k.statement_count
    from firsts as k
    inner join document_keys as d on d.file_rank = ((k.first_statement >> 32) & 536870911)
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
from {{ ref('int_figures') }} as f
inner join winners as k using (document_id, figure_no)
