{#- Every row satisfies a SQL boolean expression (rows where it is NULL are not counted). -#}
{% test expression_true(model, expression, where_clause='true') %}
select *
from {{ model }}
where ({{ where_clause }}) and not ({{ expression }})
{% endtest %}
