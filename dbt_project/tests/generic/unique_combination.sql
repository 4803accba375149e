{#- No two rows share the same values in all of the given columns (a key made of several columns).
    The rows are first grouped on one 64-bit hash of the key (a BIGINT: at 11 M rows about half the
    time of grouping the texts themselves); only the rows whose hash repeats are then grouped on the
    columns, so a collision of two different keys is never reported. NULL counts as a value, as in
    GROUP BY: two rows (NULL, 1) share a key. tests/warehouse/test_generic_tests.py runs it. -#}
{% test unique_combination(model, columns) %}
{%- set key = columns | join(', ') %}
with repeated_hashes as (
    select hash({{ key }}) as key_hash
    from {{ model }}
    group by key_hash
    having count(*) > 1
)

select {{ key }}, count(*) as rows_sharing_key
from {{ model }}
where hash({{ key }}) in (select key_hash from repeated_hashes)
group by {{ key }}
having count(*) > 1
{% endtest %}
