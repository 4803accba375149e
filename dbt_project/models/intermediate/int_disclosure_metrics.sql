-- One value per disclosure × metric × qualifier × measure × unit (2批次 and 69人次 are two
-- counts, not a restatement): a table's figure wins over the
-- narrative's restatement, then the first stated. Every other statement stays in int_figures
-- for the restatement check.
with figures as (
    select * from {{ ref('int_figures') }}
    where measure <> 'reason' and measure <> 'components'
),

ranked as (
    select
        *,
        row_number() over (
            partition by disclosure_id, metric, qualifier, measure, unit
            order by source_rank, source_file, figure_no
        ) as statement_rank,
        count(*) over (partition by disclosure_id, metric, qualifier, measure, unit) as statement_count
    from figures
)

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
from ranked
where statement_rank = 1
