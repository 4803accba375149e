-- One row per department: the name it is published under and where it sits.
with documents as (
    select * from {{ ref('int_documents') }}
    where department_id is not null
),

departments as (
    select
        department_id,
        -- the longest name, the latest parent; ties go to the greater text, so that two builds
        -- of the same files agree (region fields follow from the id's adcode and agree anyway)
        arg_max(department_name, (length(department_name), department_name)) as department_name,
        max(department_short_name) as department_short_name,
        arg_max(parent_department, (fiscal_year, parent_department)) filter (where parent_department is not null)
            as parent_department,
        max(province) as province,
        max(city) as city,
        max(county) as county,
        max(adcode) as adcode,
        max(admin_level) as admin_level,
        count(distinct fiscal_year) as year_count,
        min(fiscal_year) as first_year,
        max(fiscal_year) as last_year
    from documents
    group by department_id
)

select * from departments
