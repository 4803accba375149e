-- One row per measure × peer group × department: the department's latest disclosure in the peer group
-- (same department type, phase, scope and consolidation: mart_peer_disclosure) with the measure's
-- value, the group's quartiles and Tukey fences, and whether the value lies outside them. The measures
-- come from the notebooks' marts: 机关运行经费 (amount, share of 基本支出, share of 公用经费, per staff;
-- a 0 printed is no point), 三公经费, 抚恤 (amount, share of 社会保障和就业支出). Its rows depend on other
-- departments' rows: a delta build recomputes it.
{%- set measures = [
    ('mart_operating_cost', 'operating_cost', 'operating_cost', 'not is_stated_zero'),
    ('mart_operating_cost', 'operating_cost_share_of_basic_pct', 'share_of_basic_pct', 'not is_stated_zero'),
    ('mart_operating_cost', 'operating_cost_share_of_public_pct', 'share_of_public_pct', 'not is_stated_zero'),
    ('mart_operating_cost', 'operating_cost_per_staff', 'per_staff', 'not is_stated_zero'),
    ('mart_sangong', 'sangong_total', 'sangong_total', 'true'),
    ('mart_death_benefit', 'pension_benefits', 'pension_benefits', 'true'),
    ('mart_death_benefit', 'pension_share_of_social_security_pct', 'pension_share_of_social_security_pct', 'true'),
] %}
with values_stated as (
    {% for model, measure, column, condition in measures %}
        select
            '{{ measure }}' as measure,
            disclosure_id, department_id, department_name, department_type, place, fiscal_year, comparison_basis_zh,
            peer_group, verdict,
            {{ column }}::double as value,
            source_file,
            source_locator,
            {{ 'quote' if model != 'mart_death_benefit' else 'null::varchar' }}
        from {{ ref(model) }}
        where peer_group is not null and {{ column }} is not null and {{ condition }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

points as (
    select *
    from values_stated
    qualify
        row_number() over (
            partition by measure, peer_group, department_id order by fiscal_year desc, disclosure_id asc
        ) = 1
),

fenced as (
    select
        *,
        count(*) over peer as peer_departments,
        count(distinct place) over peer as peer_places,
        quantile_cont(value, 0.25) over peer as q1,
        median(value) over peer as median,
        quantile_cont(value, 0.75) over peer as q3
    from points
    window peer as (partition by measure, peer_group)
)

select
    measure,
    peer_group,
    department_type,
    comparison_basis_zh,
    department_id,
    department_name,
    place,
    fiscal_year,
    disclosure_id,
    verdict,
    value,
    peer_departments,
    peer_places,
    q1,
    median,
    q3,
    q1 - {{ iqr_fence_factor() }} * (q3 - q1) as lower_fence,
    q3 + {{ iqr_fence_factor() }} * (q3 - q1) as upper_fence,
    peer_departments >= {{ iqr_min_departments() }} as is_judged,
    peer_departments >= {{ iqr_min_departments() }}
    and (
        value < q1 - {{ iqr_fence_factor() }} * (q3 - q1)
        or value > q3 + {{ iqr_fence_factor() }} * (q3 - q1)
    ) as is_outlier,
    -- how far outside its fences (negative: inside), for naming the furthest first
    greatest(
        q1 - {{ iqr_fence_factor() }} * (q3 - q1) - value,
        value - (q3 + {{ iqr_fence_factor() }} * (q3 - q1))
    ) as distance_outside,
    source_file,
    source_locator,
    quote
from fenced
