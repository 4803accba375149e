{#- No two rows share the same values in all of the given columns (a key made of several columns). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as rows_sharing_key
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
