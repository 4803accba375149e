-- One row per department: the name it is published under and where it sits.
with documents as (
    select * from {{ ref('int_documents') }}
    where department_id is not null
),

departments as (
    select
        department_id,
        arg_max(department_name, length(department_name)) as department_name,
        any_value(department_short_name) as department_short_name,
        any_value(parent_department) filter (where parent_department is not null) as parent_department,
        any_value(province) as province,
        any_value(city) as city,
        any_value(county) as county,
        any_value(adcode) as adcode,
        any_value(admin_level) as admin_level,
        count(distinct fiscal_year) as year_count,
        min(fiscal_year) as first_year,
        max(fiscal_year) as last_year
    from documents
    group by department_id
)

select * from departments
