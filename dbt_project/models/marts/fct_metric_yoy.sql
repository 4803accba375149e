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
-- Joins and windows run on integer keys: ranks over the disclosures (few rows) stand for the long
-- texts (disclosure_id; department, phase, scope and consolidation as one series), equal exactly
-- when the texts are; the texts are joined back once, at the end (100,000 documents: 3 M pairs).
-- The ranks are this model's own, computed on every run and never stored: a delta build
-- (ingest/warehouse/delta.py) recomputes a few departments' rows alone, so a rank kept in a
-- table (int_documents) would be renumbered over those few and clash with the others'.
with disclosures as (
    select
        d.disclosure_id,
        d.department_id,
        d.phase,
        d.scope,
        d.fiscal_year,
        c.consolidation = 'own_level' as is_own_level,
        dense_rank() over (order by d.disclosure_id) as disclosure_key,
        dense_rank() over (order by d.department_id, d.phase, d.scope, c.consolidation = 'own_level') as series_key,
        -- a series with an empty part is paired with no other year
        d.department_id is not null and d.phase is not null and d.scope is not null as has_series
    from {{ ref('int_disclosures') }} as d
    inner join ({{ disclosure_consolidation() }}) as c using (disclosure_id)
    where d.fiscal_year is not null
),

-- metrics, values_now and both_sources are not materialized: each use reads only the columns it needs;
-- materialised, they kept the file and locator of every row and spilled (100,000 documents: 1.4 GB)
metrics as not materialized (
    select
        d.disclosure_key,
        d.series_key,
        d.has_series,
        d.fiscal_year,
        m.metric,
        m.measure,
        m.value,
        m.source_file,
        m.source_locator
    from {{ ref('int_disclosure_metrics') }} as m
    inner join disclosures as d using (disclosure_id)
    -- money only (one unit per metric: the key stays one row per metric and year)
    where m.qualifier = '' and m.measure in ('amount', 'change_amount') and m.unit = '万元'
),

function_metrics as (
    select
        d.disclosure_key, d.series_key, d.has_series, d.fiscal_year,
        f.basis || ':' || f.code as metric,
        'amount' as measure,
        f.amount as value,
        f.source_file,
        f.source_locator
    from {{ ref('fct_function_amount') }} as f
    inner join disclosures as d using (disclosure_id)
),

values_now as not materialized (
    select * from metrics
    where measure = 'amount'
    union all
    select * from function_metrics
),

own as (
    select
        n.disclosure_key, n.series_key, n.metric, n.fiscal_year, n.value,
        p.value as prior_value,
        'own document' as prior_source,
        p.disclosure_key as prior_disclosure_key,
        n.source_file, n.source_locator
    from values_now as n
    inner join values_now as p
    on p.series_key = n.series_key and p.metric = n.metric and p.fiscal_year = n.fiscal_year - 1
    where n.has_series
),

stated as (
    select
        n.disclosure_key, n.series_key, n.metric, n.fiscal_year, n.value,
        n.value - c.value as prior_value,
        'stated comparative' as prior_source,
        n.disclosure_key as prior_disclosure_key,
        c.source_file, c.source_locator
    from metrics as n
    inner join metrics as c
    on c.disclosure_key = n.disclosure_key and c.metric = n.metric and c.measure = 'change_amount'
    where n.measure = 'amount'
),

both_sources as not materialized (
    select * from own
    union all
    select * from stated
),

-- sentences of the later document that say its figures are not comparable with the year before: the
-- wording (ref_comparability_phrase, definition_changed) is written into the SQL as literal patterns
-- (macros/comparability.sql), compiled once, not once per sentence; the template naming the subject
-- and the metrics' names come as one row each, joined by a constant key: the plan stays a hash join,
-- linear in the sentences
phrases as (
    select
        1 as phrase_key,
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

-- first the wording, then, for the few sentences that say so, the metrics they name (one pattern
-- per metric name: over every sentence, 700,000 at 100,000 documents, most of this model's time)
definition_changes as (
    select
        s.disclosure_id,
        s.metric,
        s.quote,
        s.source_file,
        s.source_locator,
        {{ definition_changed_priority('s.quote') }} as priority,
        s.phrase_key
    from sentences as s
),

named_subjects as (
    select
        c.disclosure_id,
        c.metric,
        c.quote,
        c.source_file,
        c.source_locator,
        c.priority,
        -- the metrics it names right before 口径; none named: the sentence's own metric
        list_transform(
            list_filter(
                n.names,
                lambda m: regexp_matches(c.quote, replace(p.subject_template, '{name}', m.name_zh))  -- noqa: RF01
            ),
            lambda m: m.metric  -- noqa: RF01
        ) as named
    from definition_changes as c
    inner join phrases as p using (phrase_key)
    inner join metric_names as n using (phrase_key)
    where c.priority is not null
),

subjects as (
    select
        disclosure_id,
        unnest(case when len(named) > 0 then named else [metric] end) as metric,
        quote,
        source_file,
        source_locator,
        priority
    from named_subjects
),

stated_definition_change as (
    select
        d.disclosure_key,
        s.metric,
        arg_min(
            struct_pack(s.quote, s.source_file, s.source_locator),
            (s.priority, s.source_file, s.source_locator, s.quote)
        ) as statement
    from subjects as s
    inner join disclosures as d using (disclosure_id)
    group by d.disclosure_key, s.metric
),

-- a value above its ceiling in its own disclosure is another concept than the metric's
ceilings as (
    select
        d.disclosure_key,
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
    qualify row_number() over (partition by d.disclosure_key, v.metric order by r.bound_metric) = 1
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
    left join stated_definition_change as s on s.disclosure_key = p.disclosure_key and s.metric = p.metric
    left join ceilings as cn on cn.disclosure_key = p.disclosure_key and cn.metric = p.metric
    left join ceilings as cp
    on cp.disclosure_key = p.prior_disclosure_key and cp.metric = p.metric and p.prior_source = 'own document'
),

-- per key (series, metric, year): its prior values and whether the own earlier document gave one.
-- A key has at most one row per prior_source (a data test in fct_metric_yoy.yml), so the preferred
-- row is the own document's, else the only one. Grouped on these narrow columns and joined back,
-- not a window over the wide rows (quotes and all): 100,000 documents, 5.1 s of the model's 10 s
pair_keys as (
    select
        series_key,
        metric,
        fiscal_year,
        count(distinct prior_value) > 1 as is_restated,
        bool_or(prior_source = 'own document') as has_own_document
    from both_sources
    group by series_key, metric, fiscal_year
),

paired as (
    select
        j.*,
        k.is_restated,
        -- the pair to count when one per key is wanted: the own earlier document's, else the stated comparative
        j.prior_source = 'own document' or not k.has_own_document as is_preferred
    from judged as j
    inner join pair_keys as k using (series_key, metric, fiscal_year)
)

select
    d.department_id,
    d.phase,
    d.scope,
    case when d.is_own_level then 'own_level' else '' end as consolidation,
    p.metric,
    p.fiscal_year,
    p.value,
    p.prior_value,
    p.value - p.prior_value as change,
    case
        when p.prior_value <> 0 then {{ safe_decimal('(p.value - p.prior_value) / p.prior_value * 100') }}
    end as change_pct,
    p.prior_source,
    p.is_restated,
    p.is_preferred,
    p.stated_change is null and p.concept_note is null as is_comparable,
    case
        when p.stated_change is not null then 'the document says the definition changed'
        when p.concept_note is not null then p.concept_note
    end as comparability_note,
    coalesce(p.stated_change.quote, p.concept_quote) as comparability_quote,
    coalesce(p.stated_change.source_file, p.concept_source_file) as comparability_source_file,
    coalesce(p.stated_change.source_locator, p.concept_source_locator) as comparability_source_locator,
    d.disclosure_id,
    earlier.disclosure_id as prior_disclosure_id,
    p.source_file,
    p.source_locator
from paired as p
inner join disclosures as d on d.disclosure_key = p.disclosure_key
inner join disclosures as earlier on earlier.disclosure_key = p.prior_disclosure_key
-- not sorted: the notebooks read mart_metric_change, which is stored in metric order for them; sorting
-- these 3 M wide rows too took 4 s of this model's 10 s at 100,000 documents, and a query for one
-- metric here scans its narrow metric column either way (03_sangong #8 and 02_operating_cost #12, which
-- read the mart, took 95 ms with this table sorted and 95 ms without)
