with source as (
    select * from {{ ref('ref_basis_preference') }}
),

renamed as (
    select
        classification,
        basis,
        preference,
        description
    from source
)

select * from renamed
