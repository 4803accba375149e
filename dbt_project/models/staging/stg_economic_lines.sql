-- One row per line of a table by economic classification (seed economic_lines), typed:
-- the shape every classified line has (macros/extracted.sql stg_classified_lines).
{{ stg_classified_lines('economic_lines') }}
