-- A money figure printed in 元 where the document's money is in 万元 (or the reverse).
select
    disclosure_id,
    'unit_slip' as check_name,
    'warn' as severity,
    printed_as_wan as expected,
    value as actual,
    printed_as_wan - value as difference,
    metric || coalesce(' ' || nullif(qualifier, ''), '') || ' printed as ' || printed_value || printed_unit
        || ' in a document whose amounts are in ' || dominant_unit
        || case when is_confirmed_unit_slip
            then '; read as ' || printed_value || '万元 because that matches its parts or another statement'
            else '; kept as printed' end as message,
    source_file,
    source_locator
from {{ ref('int_figures') }}
where is_suspected_unit_slip
