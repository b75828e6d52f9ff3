//! The two macros every model uses: `typed_id!` (an id that cannot be mixed up with another
//! table's) and `small_enum!` (a closed set stored as SmallInt). Both map to and from their
//! column type through diesel on either backend, so rows, forms and queries use them directly.

/// `typed_id!(ThreadId)`: a `BigInt` id with its own type.
macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                i64::from_sql(bytes).map($name)
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.0.to_sql(out)
            }
        }
    };
}

/// `small_enum!(Visibility { Public = 0 => "public", … })`: a closed set stored as SmallInt,
/// named in forms, JSON and URLs by its text, ordered as declared. An unknown stored value is a read error, not a
/// silent default.
macro_rules! small_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[serde(rename_all = "snake_case")]
        #[diesel(sql_type = diesel::sql_types::SmallInt)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_i16(self) -> i16 { match self { $($name::$variant => $value),+ } }
            pub fn from_i16(value: i16) -> Option<$name> {
                match value { $($value => Some($name::$variant),)+ _ => None }
            }
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::SmallInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i16: diesel::deserialize::FromSql<diesel::sql_types::SmallInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let value = i16::from_sql(bytes)?;
                $name::from_i16(value)
                    .ok_or_else(|| format!("{} has no value {value}", stringify!($name)).into())
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::SmallInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i16: diesel::serialize::ToSql<diesel::sql_types::SmallInt, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                match self {
                    $($name::$variant => {
                        const VALUE: i16 = $value;
                        <i16 as diesel::serialize::ToSql<diesel::sql_types::SmallInt, DB>>::to_sql(&VALUE, out)
                    }),+
                }
            }
        }
    };
}

pub(crate) use {small_enum, typed_id};
