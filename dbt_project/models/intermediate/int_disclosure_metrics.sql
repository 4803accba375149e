{{ config(materialized='view') }}

-- One value per disclosure × metric × qualifier × measure × unit: the statement int_figures marks
-- is_chosen (a statement with a value, then a table's over the narrative's restatement, then the first
-- stated; int_figures.sql says how). Every other statement stays in int_figures; int_check_restatement
-- reports those that differ, quoting both. fct_disclosure, mart_department_year, fct_metric_yoy and
-- mart_budget_execution take their values from here.
-- A view, not a table: its 10 M rows at 100,000 documents are int_figures' own, and writing them again
-- with their quotes took 7.5 s; its eleven readers scan int_figures with this filter instead
-- (0.6 s more among them all).
select
    disclosure_id,
    metric,
    qualifier,
    measure,
    resolved_value as value,
    unit,
    printed_value,
    printed_unit,
    is_confirmed_unit_slip,
    statement_count,
    section,
    source_file,
    source_locator,
    quote
from {{ ref('int_figures') }}
where is_chosen
