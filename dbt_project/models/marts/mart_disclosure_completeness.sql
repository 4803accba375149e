-- Per disclosure: which standard parts (tables and narrative sections of its phase) it has,
-- and score = share present. One row per disclosure × standard part, the score repeated.
select
    *,
    round(avg(case when is_present then 1.0 else 0.0 end) over (partition by disclosure_id), 4) as completeness_score,
    count(*) filter (where is_present) over (partition by disclosure_id) as parts_present,
    count(*) over (partition by disclosure_id) as parts_expected
from {{ ref('int_disclosure_parts') }}
