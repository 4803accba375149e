-- One row per measure × peer group (same department type, phase, scope and consolidation): how many
-- departments in how many places, the years their latest disclosures cover, the quartiles, Tukey
-- fences, the whiskers (the last value inside the fences) and the outliers (mart_peer_point). Its
-- rows depend on other departments' rows: a delta build recomputes it.
select
    measure,
    peer_group,
    any_value(department_type) as department_type,
    any_value(comparison_basis_zh) as comparison_basis_zh,
    count(*) as departments,
    count(distinct place) as places,
    string_agg(distinct place, '、' order by place) as place_list,
    min(fiscal_year) as first_year,
    max(fiscal_year) as last_year,
    min(value) as minimum,
    any_value(q1) as q1,
    any_value(median) as median,
    any_value(q3) as q3,
    max(value) as maximum,
    any_value(lower_fence) as lower_fence,
    any_value(upper_fence) as upper_fence,
    min(value) filter (where value >= lower_fence) as whisker_low,
    max(value) filter (where value <= upper_fence) as whisker_high,
    count(*) filter (where is_outlier) as outliers,
    bool_and(is_judged) as is_judged,
    count(*) filter (where verdict = 'trusted') as trusted_departments
from {{ ref('mart_peer_point') }}
group by measure, peer_group
