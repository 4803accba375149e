-- One row per 类/款/项 line (seed function_lines), typed: the shape every classified line has
-- (macros/extracted.sql stg_classified_lines), with the match score, the amounts of its columns
-- and its stated reason.
{{ stg_classified_lines(
    'function_lines',
    classification_decimals=['match_score'],
    amounts=['amount', 'basic_amount', 'project_amount', 'budget_amount', 'prior_amount', 'completion_pct', 'share_pct'],
    texts=['reason'],
) }}
