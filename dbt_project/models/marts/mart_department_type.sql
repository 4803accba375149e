-- One row per department with its normalised department type (seed ref_department_type: the first
-- rule, in priority order, whose pattern matches the department's short name): the peer group of the
-- same kind of department in other places. NULL when no rule matches (no peer group).
with departments as (
    select
        department_id,
        department_name,
        department_short_name,
        province,
        city,
        county,
        admin_level
    from {{ ref('dim_department') }}
),

typed as (
    {{ classify_department_type('departments', 'coalesce(n.department_short_name, n.department_name)') }}
)

select
    department_id,
    department_name,
    department_short_name,
    type_rule.department_type,
    type_rule.priority as type_rule_priority,
    type_rule.pattern as type_rule_pattern,
    province,
    city,
    county,
    -- where the department sits, for a comparison across places: its city, else (a provincial body) its province
    coalesce(city, province) as place,
    admin_level
from typed
