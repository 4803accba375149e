{#- Every non-null value of the column is one of the codes of a reference model's column. -#}
{% test in_code_list(model, column_name, reference, reference_column='code') %}
select {{ column_name }} as unknown_code, count(*) as rows_with_it
from {{ model }}
where {{ column_name }} is not null
  and {{ column_name }} not in (select {{ reference_column }} from {{ reference }})
group by 1
{% endtest %}
