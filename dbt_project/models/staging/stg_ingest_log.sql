with source as (
    select * from {{ source('extracted', 'ingest_log') }}
),

renamed as (
    select
        ---------- ids
        source_file,
        sha256,
        document_id,
        ---------- what the reader saw
        format,
        size_bytes::bigint as size_bytes,
        page_count,
        ---------- outcome
        status,
        coalesce(reason, '') as reason,
        coalesce(reason_zh, '') as reason_zh,
        figure_count,
        warning_count
    from source
)

select * from renamed
