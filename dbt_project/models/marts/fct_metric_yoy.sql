-- Year over year, per department, phase, scope, consolidation and metric: the prior value from the
-- department's own earlier disclosure ('own document') and/or from the comparative the later document
-- states ("与2022年相比…增加542.05万元" ⇒ prior = value − change: 'stated comparative').
-- When both exist and differ, both rows are kept and is_restated is true; is_preferred marks one
-- row per key (the own document's where there is one), for counting each change once.
-- Like for like: a pair never joins two phases, scopes or consolidations (本级 alone vs the
-- department with its units); it is_comparable = false, with the quote, when the later document
-- says the definition changed (ref_comparability_phrase: 口径发生调整, 无可比性 …) or when either
-- value cannot be the same concept (above its ceiling, ref_plausibility_rule: 机关运行经费 above
-- its own year's 基本支出).
with disclosures as (
    select
        d.disclosure_id,
        d.department_id,
        d.phase,
        d.scope,
        d.fiscal_year,
        c.consolidation = 'own_level' as is_own_level
    from {{ ref('int_disclosures') }} as d
    inner join ({{ disclosure_consolidation() }}) as c using (disclosure_id)
    where d.fiscal_year is not null
),

metrics as (
    select
        d.disclosure_id,
        d.department_id,
        d.phase,
        d.scope,
        d.is_own_level,
        d.fiscal_year,
        m.metric,
        m.measure,
        m.value,
        m.printed_value,
        m.printed_unit,
        m.source_file,
        m.source_locator
    from {{ ref('int_disclosure_metrics') }} as m
    inner join disclosures as d using (disclosure_id)
    -- money only (one unit per metric: the key stays one row per metric and year)
    where m.qualifier = '' and m.measure in ('amount', 'change_amount') and m.unit = '万元'
),

function_metrics as (
    select
        f.disclosure_id, d.department_id, d.phase, d.scope, d.is_own_level, d.fiscal_year,
        f.basis || ':' || f.code as metric,
        'amount' as measure,
        f.amount as value,
        null::varchar as printed_value,
        null::varchar as printed_unit,
        f.source_file,
        f.source_locator
    from {{ ref('fct_function_amount') }} as f
    inner join disclosures as d using (disclosure_id)
),

values_now as (
    select * from metrics
    where measure = 'amount'
    union all
    select * from function_metrics
),

own as (
    select
        n.disclosure_id, n.department_id, n.phase, n.scope, n.is_own_level, n.metric, n.fiscal_year, n.value,
        p.value as prior_value,
        'own document' as prior_source,
        p.disclosure_id as prior_disclosure_id,
        n.source_file, n.source_locator
    from values_now as n
    inner join values_now as p
    on p.department_id = n.department_id and p.phase = n.phase and p.scope = n.scope
        and p.is_own_level = n.is_own_level and p.metric = n.metric and p.fiscal_year = n.fiscal_year - 1
),

stated as (
    select
        n.disclosure_id, n.department_id, n.phase, n.scope, n.is_own_level, n.metric, n.fiscal_year, n.value,
        n.value - c.value as prior_value,
        'stated comparative' as prior_source,
        n.disclosure_id as prior_disclosure_id,
        c.source_file, c.source_locator
    from metrics as n
    inner join metrics as c
    on c.disclosure_id = n.disclosure_id and c.metric = n.metric and c.measure = 'change_amount'
    where n.measure = 'amount'
),

both_sources as (
    select * from own
    union all
    select * from stated
),

-- sentences of the later document that say its figures are not comparable with the year before; the
-- wording (ref_comparability_phrase) and the metrics' names come as one list each, joined by a constant
-- key: the plan stays a hash join, linear in the sentences
phrases as (
    select
        1 as phrase_key,
        list(struct_pack(priority, pattern) order by priority) filter (where kind = 'definition_changed') as changed,
        any_value(pattern) filter (where kind = 'names_subject') as subject_template
    from {{ ref('stg_ref_comparability_phrase') }}
),

metric_names as (
    select 1 as phrase_key, list(struct_pack(metric, name_zh)) as names
    from {{ ref('stg_ref_metric') }}
),

sentences as (
    select distinct disclosure_id, metric, quote, source_file, source_locator, 1 as phrase_key
    from {{ ref('fct_figure') }}
    where measure in ('reason', 'change_amount', 'change_pct') and quote is not null
),

definition_changes as (
    select
        s.disclosure_id,
        s.metric,
        s.quote,
        s.source_file,
        s.source_locator,
        -- RF01 is silenced on the lambdas below: c and m are lambda parameters (list elements), not
        -- tables; sqlfluff 4.5 reads c.pattern, m.name_zh, m.metric as tables missing from the joins
        struct_extract(
            list_filter(p.changed, lambda c: regexp_matches(s.quote, c.pattern))[1], 'priority'  -- noqa: RF01
        ) as priority,
        -- the metrics it names right before 口径; none named: the sentence's own metric
        list_transform(
            list_filter(
                n.names,
                lambda m: regexp_matches(s.quote, replace(p.subject_template, '{name}', m.name_zh))  -- noqa: RF01
            ),
            lambda m: m.metric  -- noqa: RF01
        ) as named
    from sentences as s
    inner join phrases as p using (phrase_key)
    inner join metric_names as n using (phrase_key)
),

subjects as (
    select
        disclosure_id,
        unnest(case when len(named) > 0 then named else [metric] end) as metric,
        quote,
        source_file,
        source_locator,
        priority
    from definition_changes
    where priority is not null
),

stated_definition_change as (
    select
        disclosure_id,
        metric,
        arg_min(
            struct_pack(quote, source_file, source_locator), (priority, source_file, source_locator, quote)
        ) as statement
    from subjects
    group by disclosure_id, metric
),

-- a value above its ceiling in its own disclosure is another concept than the metric's
ceilings as (
    select
        v.disclosure_id,
        v.metric,
        d.fiscal_year || ' ' || vm.name_zh || ' ' || v.printed_value || v.printed_unit || ' is above that year''s '
        || bm.name_zh || ' ' || b.printed_value || b.printed_unit || ': not the same concept' as note,
        v.source_file,
        v.source_locator,
        v.quote
    from {{ ref('int_disclosure_metrics') }} as v
    inner join disclosures as d using (disclosure_id)
    inner join {{ ref('stg_ref_plausibility_rule') }} as r
    on r.check_name = 'plausibility_ceiling' and r.metric = v.metric
    inner join {{ ref('int_disclosure_metrics') }} as b
    on b.disclosure_id = v.disclosure_id and b.metric = r.bound_metric and b.qualifier = '' and b.measure = 'amount'
    inner join {{ ref('stg_ref_metric') }} as vm on vm.metric = v.metric
    inner join {{ ref('stg_ref_metric') }} as bm on bm.metric = b.metric
    where v.qualifier = '' and v.measure = 'amount'
        and {{ above_beyond_rounding('v.value', 'b.value * r.limit_value',
                                   printed_tolerance_wan('v.printed_value', 'v.printed_unit'),
                                   printed_tolerance_wan('b.printed_value', 'b.printed_unit')) }}
    -- one reason per value: the first bound it exceeds
    qualify row_number() over (partition by v.disclosure_id, v.metric order by r.bound_metric) = 1
),

judged as (
    select
        p.*,
        s.statement as stated_change,
        coalesce(cn.note, cp.note) as concept_note,
        coalesce(cn.quote, cp.quote) as concept_quote,
        coalesce(cn.source_file, cp.source_file) as concept_source_file,
        coalesce(cn.source_locator, cp.source_locator) as concept_source_locator
    from both_sources as p
    left join stated_definition_change as s on s.disclosure_id = p.disclosure_id and s.metric = p.metric
    left join ceilings as cn on cn.disclosure_id = p.disclosure_id and cn.metric = p.metric
    left join ceilings as cp
    on cp.disclosure_id = p.prior_disclosure_id and cp.metric = p.metric and p.prior_source = 'own document'
)

select
    department_id,
    phase,
    scope,
    case when is_own_level then 'own_level' else '' end as consolidation,
    metric,
    fiscal_year,
    value,
    prior_value,
    value - prior_value as change,
    case when prior_value <> 0 then {{ safe_decimal('(value - prior_value) / prior_value * 100') }} end as change_pct,
    prior_source,
    count(distinct prior_value) over pair_key > 1 as is_restated,
    -- the pair to count when one per key is wanted: the own earlier document's, else the stated comparative
    row_number() over (pair_key order by prior_source <> 'own document') = 1 as is_preferred,
    stated_change is null and concept_note is null as is_comparable,
    case
        when stated_change is not null then 'the document says the definition changed'
        when concept_note is not null then concept_note
    end as comparability_note,
    coalesce(stated_change.quote, concept_quote) as comparability_quote,
    coalesce(stated_change.source_file, concept_source_file) as comparability_source_file,
    coalesce(stated_change.source_locator, concept_source_locator) as comparability_source_locator,
    disclosure_id,
    prior_disclosure_id,
    source_file,
    source_locator
from judged
window pair_key as (partition by department_id, phase, scope, is_own_level, metric, fiscal_year)
-- stored in metric order: a notebook asking for a few metrics reads only their row groups
order by metric, department_id, fiscal_year, phase, scope
