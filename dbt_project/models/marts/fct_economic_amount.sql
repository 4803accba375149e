-- One row per department × year × phase × scope × basis × economic code (301 工资福利支出, 30304 抚恤金 …), in 万元.
select
    d.department_id,
    d.department_name,
    d.fiscal_year,
    d.phase,
    d.scope,
    e.basis,
    e.level,
    e.code,
    r.name,
    e.raw_label,
    e.amount,
    e.source_file,
    e.source_locator,
    e.match_method,
    d.disclosure_id
from {{ ref('int_economic_amounts') }} as e
inner join {{ ref('int_disclosures') }} as d using (disclosure_id)
left join {{ ref('stg_ref_economic_code') }} as r using (code)
