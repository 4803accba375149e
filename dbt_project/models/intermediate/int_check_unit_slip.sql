-- A money figure printed in 元 where the document's money is in 万元 (or the reverse).
select
    {{ check_row(
        'unit_slip',
        severity="'warn'",
        expected='printed_as_wan',
        actual='value',
        message="metric || coalesce(' ' || nullif(qualifier, ''), '') || ' printed as ' || printed_value || printed_unit
            || ' in a document whose amounts are in ' || dominant_unit
            || case when is_confirmed_unit_slip
                then '; read as ' || printed_value || '万元 because that matches its parts or another statement'
                else '; kept as printed' end",
    ) }}
from {{ ref('int_figures') }}
where is_suspected_unit_slip
