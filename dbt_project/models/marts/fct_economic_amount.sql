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
-- the row of the code valid in the disclosure's year (30311 is 住房公积金 until 2017, 代缴社会保险费 since);
-- an undated disclosure is read with the current list, as ingest does
left join {{ ref('stg_ref_economic_code') }} as r
on r.code = e.code
    and {{ code_valid_in('r', 'd.fiscal_year') }}
