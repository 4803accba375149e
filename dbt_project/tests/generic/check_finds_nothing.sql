{#- A data check of fct_disclosure_check has no rows of the given check_name and severity.
    Used with severity: warn, so a defect of a document is reported but does not stop the build. -#}
{% test check_finds_nothing(model, check_name, severities=['warn']) %}
select *
from {{ model }}
where check_name like '{{ check_name }}'
  and severity in ({% for s in severities %}'{{ s }}'{% if not loop.last %}, {% endif %}{% endfor %})
{% endtest %}
