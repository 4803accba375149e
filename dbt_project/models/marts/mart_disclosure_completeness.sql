-- Per disclosure: which standard parts (tables and narrative sections of its phase) it has,
-- and score = share present. One row per disclosure × standard part, the score repeated.
select
    p.*,
    c.completeness_score,
    c.parts_present,
    c.parts_expected
from {{ ref('int_disclosure_parts') }} as p
inner join {{ ref('int_disclosure_completeness') }} as c using (disclosure_id)
