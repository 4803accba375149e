-- One row per notebook topic (all disclosures, 抚恤, 机关运行经费, 三公): what the warehouse covers —
-- disclosures, departments, places, years, phases, verdicts, the department types and the largest
-- peer group — and how many disclosures state their staffing. The first lines of each notebook are
-- this row. Its rows count across departments: a delta build recomputes it.
{%- set topics = [
    ('all', 'mart_peer_disclosure', 'true'),
    ('death_benefit', 'mart_death_benefit', 'true'),
    ('operating_cost', 'mart_operating_cost', 'not is_stated_zero'),
    ('sangong', 'mart_sangong', 'true'),
] %}
with rows_by_topic as (
    {% for topic, model, condition in topics %}
        select
            '{{ topic }}' as topic, t.disclosure_id, t.department_id, t.department_type, t.place, t.fiscal_year,
            t.phase, t.verdict, t.peer_group, p.staff_actual
        from {{ ref(model) }} as t
        inner join {{ ref('mart_peer_disclosure') }} as p using (disclosure_id)
        where {{ condition }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

types as (
    select topic, department_type, count(distinct department_id) as departments, count(distinct place) as places
    from rows_by_topic
    where department_type is not null
    group by topic, department_type
),

peer_groups as (
    select topic, peer_group, count(distinct department_id) as departments, count(distinct place) as places
    from rows_by_topic
    where peer_group is not null
    group by topic, peer_group
),

summary as (
    select
        topic,
        count(distinct disclosure_id) as disclosures,
        count(distinct department_id) as departments,
        count(distinct place) as places,
        string_agg(distinct place, '、' order by place) as place_list,
        min(fiscal_year) as first_year,
        max(fiscal_year) as last_year,
        string_agg(distinct fiscal_year::varchar, ', ' order by fiscal_year::varchar) as years,
        count(distinct disclosure_id) filter (where phase = 'budget') as budget_disclosures,
        count(distinct disclosure_id) filter (where phase = 'final') as final_disclosures,
        count(distinct disclosure_id) filter (where verdict = 'trusted') as trusted,
        count(distinct disclosure_id) filter (where verdict = 'check first') as check_first,
        count(distinct disclosure_id) filter (where verdict = 'incomplete') as incomplete,
        count(distinct department_id) filter (where department_type is not null) as typed_departments,
        count(distinct department_type) as department_types,
        count(distinct disclosure_id) filter (where staff_actual is not null) as staff_stated
    from rows_by_topic
    group by topic
)

select
    s.*,
    t.department_type as largest_type,
    coalesce(t.departments, 0) as largest_type_departments,
    coalesce(t.places, 0) as largest_type_places,
    g.peer_group as largest_peer_group,
    coalesce(g.departments, 0) as largest_peer_group_departments,
    coalesce(g.places, 0) as largest_peer_group_places
from summary as s
left join (
    select * from types
    qualify row_number() over (partition by topic order by places desc, departments desc, department_type asc) = 1
) as t using (topic)
left join (
    select * from peer_groups
    qualify row_number() over (partition by topic order by places desc, departments desc, peer_group asc) = 1
) as g using (topic)
