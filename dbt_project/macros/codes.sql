{#- Code validity: a reference row (valid_from, valid_to: fiscal years, NULL = open) is in force in
    a fiscal year when the year lies between them; an undated disclosure (NULL year) is read with the
    current list (valid_to NULL). The same rule as ingest's classification.valid_in
    (tests/ingest/test_code_validity.py holds the two to the same answers). -#}
{% macro code_valid_in(reference, fiscal_year) -%}
    (
        {{ fiscal_year }} between coalesce({{ reference }}.valid_from, {{ fiscal_year }})
            and coalesce({{ reference }}.valid_to, {{ fiscal_year }})
        or ({{ fiscal_year }} is null and {{ reference }}.valid_to is null)
    )
{%- endmacro %}
