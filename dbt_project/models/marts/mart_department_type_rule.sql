-- One row per rule of seed ref_department_type with the department type the whole rule set gives the
-- rule's own example (a real name as printed): each rule reads its example, and no rule before it
-- takes it away. The test on reads_its_example is the test per rule.
with examples as (
    select
        priority as rule_priority,
        pattern as rule_pattern,
        department_type as rule_type,
        example,
        first_seen
    from {{ ref('stg_ref_department_type') }}
),

classified as (
    {{ classify_department_type('examples', 'n.example') }}
)

select
    rule_priority as priority,
    rule_pattern as pattern,
    rule_type as department_type,
    example,
    first_seen,
    type_rule.department_type as example_department_type,
    type_rule.priority as example_rule_priority,
    coalesce(type_rule.priority = rule_priority, false) as reads_its_example
from classified
order by priority
