-- One row per disclosure: how many of the standard parts of its phase it has, and the share.
-- The one definition of the score: fct_disclosure carries it, mart_disclosure_completeness repeats
-- it on every part.
select
    disclosure_id,
    round(avg(case when is_present then 1.0 else 0.0 end), 4) as completeness_score,
    count(*) filter (where is_present) as parts_present,
    count(*) as parts_expected
from {{ ref('int_disclosure_parts') }}
group by disclosure_id
