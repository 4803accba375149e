-- One row per department × metric × year × phase × scope × consolidation: the change from the year
-- before counted once (fct_metric_yoy's preferred pair), with the department's type and place, the
-- comparison basis, the verdicts of both disclosures, and is_comparable with the quote when the
-- document says the definition changed or a value is not the same concept. A ranking of change
-- filters on is_comparable and says how many pairs it left out.
select
    y.department_id,
    p.department_name,
    p.department_type,
    p.place,
    y.metric,
    y.fiscal_year,
    y.phase,
    y.scope,
    y.consolidation,
    p.comparison_basis_zh,
    y.value,
    y.prior_value,
    y.change,
    y.change_pct,
    y.prior_source,
    y.is_restated,
    y.is_comparable,
    y.comparability_note,
    y.comparability_quote,
    y.comparability_source_file,
    y.comparability_source_locator,
    p.verdict,
    q.verdict as prior_verdict,
    y.disclosure_id,
    y.prior_disclosure_id,
    y.source_file,
    y.source_locator
from {{ ref('fct_metric_yoy') }} as y
inner join {{ ref('mart_peer_disclosure') }} as p on p.disclosure_id = y.disclosure_id
left join {{ ref('mart_peer_disclosure') }} as q on q.disclosure_id = y.prior_disclosure_id
where y.is_preferred
order by y.metric, y.department_id, y.fiscal_year
