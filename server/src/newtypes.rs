//! The two macros every model uses: `typed_id!` (an id that cannot be mixed up with another
//! table's) and `small_enum!` (a closed set stored as SmallInt). Both map to and from their
//! column type through diesel on either backend, so rows, forms and queries use them directly.
//! Forms name a closed set's value with `Choice<T>`, which keeps the field a bad value came in.

use crate::error::{AppError, AppResult};

/// A yes/no column, stored as SmallInt 0 or 1 on both backends (SQLite has no boolean), read
/// and written as a `bool`: `thread.locked.0`, `threads::locked.eq(Flag(true))`.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[serde(transparent)]
#[diesel(sql_type = diesel::sql_types::SmallInt)]
pub struct Flag(pub bool);

impl<DB> diesel::deserialize::FromSql<diesel::sql_types::SmallInt, DB> for Flag
where
    DB: diesel::backend::Backend,
    i16: diesel::deserialize::FromSql<diesel::sql_types::SmallInt, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
        i16::from_sql(bytes).map(|value| Flag(value != 0))
    }
}

impl<DB> diesel::serialize::ToSql<diesel::sql_types::SmallInt, DB> for Flag
where
    DB: diesel::backend::Backend,
    i16: diesel::serialize::ToSql<diesel::sql_types::SmallInt, DB>,
{
    fn to_sql<'b>(
        &'b self,
        out: &mut diesel::serialize::Output<'b, '_, DB>,
    ) -> diesel::serialize::Result {
        const YES: i16 = 1;
        const NO: i16 = 0;
        let value = if self.0 { &YES } else { &NO };
        <i16 as diesel::serialize::ToSql<diesel::sql_types::SmallInt, DB>>::to_sql(value, out)
    }
}

/// A closed set named by text: what `small_enum!` generates, and what `Choice` reads.
pub trait Named: Copy + 'static {
    fn parse(text: &str) -> Option<Self>;
    fn as_str(self) -> &'static str;
}

/// A closed set stored as a number: what `small_enum!` generates, and what `Lenient` reads.
pub trait Numbered: Copy + 'static {
    fn from_i16(value: i16) -> Option<Self>;
}

/// A closed set's column read where a number this version does not know must not fail the
/// read: `None` for it. Rows other app servers write (a newer version during a rolling upgrade
/// may add a notification kind, a reaction kind, a sanction) are read this way where the old
/// code skipped or defaulted such values; everywhere else the enum itself is read, and an
/// unknown number is an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, diesel::deserialize::FromSqlRow)]
pub struct Lenient<T>(pub Option<T>);

impl<T, DB> diesel::deserialize::FromSql<diesel::sql_types::SmallInt, DB> for Lenient<T>
where
    T: Numbered,
    DB: diesel::backend::Backend,
    i16: diesel::deserialize::FromSql<diesel::sql_types::SmallInt, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
        i16::from_sql(bytes).map(|value| Lenient(T::from_i16(value)))
    }
}

/// A form field naming one value of a closed set (`kind=question`, `"level": "muted"`): the
/// value when the text names one, else the text as it came. Deserializing never fails on an
/// unknown name, so the service answers with an error beside that field
/// (`choice.or_invalid("kind", "error-kind-invalid")`) rather than a whole-form `invalid_form`;
/// a refused form shows back what was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice<T> {
    Known(T),
    Unknown(String),
}

impl<T: Named> Choice<T> {
    pub fn known(&self) -> Option<T> {
        match self {
            Choice::Known(value) => Some(*value),
            Choice::Unknown(_) => None,
        }
    }

    /// The value, or an `invalid_form` error naming `field` with the message `message_key`.
    pub fn or_invalid(&self, field: &str, message_key: &str) -> AppResult<T> {
        self.known()
            .ok_or_else(|| AppError::invalid_field(field, message_key))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Choice::Known(value) => value.as_str(),
            Choice::Unknown(text) => text,
        }
    }
}

impl<T: Named> From<T> for Choice<T> {
    fn from(value: T) -> Self {
        Choice::Known(value)
    }
}

impl<T: Named> From<&str> for Choice<T> {
    fn from(text: &str) -> Self {
        match T::parse(text.trim()) {
            Some(value) => Choice::Known(value),
            None => Choice::Unknown(text.to_owned()),
        }
    }
}

/// An absent field in a form that fills defaults: names nothing, so it is refused if required.
impl<T> Default for Choice<T> {
    fn default() -> Self {
        Choice::Unknown(String::new())
    }
}

impl<'de, T: Named> serde::Deserialize<'de> for Choice<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Choice::from(text.as_str()))
    }
}

impl<T: Named> serde::Serialize for Choice<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

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

        impl $crate::newtypes::Numbered for $name {
            fn from_i16(value: i16) -> Option<$name> { $name::from_i16(value) }
        }

        impl $crate::newtypes::Named for $name {
            fn parse(text: &str) -> Option<$name> { $name::parse(text) }
            fn as_str(self) -> &'static str { $name::as_str(self) }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forum::model::{NewThreadForm, ThreadKind, Visibility};

    #[derive(serde::Deserialize, serde::Serialize)]
    struct Form {
        visibility: Choice<Visibility>,
    }

    #[test]
    fn a_choice_reads_known_names_and_keeps_unknown_ones() {
        let known: Form = serde_urlencoded::from_str("visibility=+private+").unwrap();
        assert_eq!(known.visibility, Choice::Known(Visibility::Private));
        let unknown: Form = serde_urlencoded::from_str("visibility=secret").unwrap();
        assert_eq!(unknown.visibility.known(), None);
        // Shown back as sent, so a refused form keeps what was typed.
        assert_eq!(
            serde_json::to_value(&unknown).unwrap()["visibility"],
            "secret"
        );
        let error = unknown
            .visibility
            .or_invalid("visibility", "error-visibility-invalid")
            .unwrap_err();
        assert_eq!(error.code(), "invalid_input");
        match error.kind {
            crate::error::ErrorKind::Invalid { fields, .. } => assert_eq!(
                fields.get("visibility").map(String::as_str),
                Some("error-visibility-invalid")
            ),
            _ => panic!("not a field error"),
        }
    }

    #[test]
    fn json_forms_read_enums_and_defaults() {
        let form: NewThreadForm =
            serde_json::from_str(r#"{"category": "general", "title": "T", "body": "B"}"#).unwrap();
        assert_eq!(form.kind.known(), Some(ThreadKind::Discussion));
        let form: NewThreadForm = serde_json::from_str(
            r#"{"category": "general", "kind": "question", "title": "T", "body": "B"}"#,
        )
        .unwrap();
        assert_eq!(form.kind.known(), Some(ThreadKind::Question));
        // A wrong type is still a malformed body, not a silent default.
        assert!(serde_json::from_str::<NewThreadForm>(
            r#"{"category": "general", "kind": 3, "title": "T", "body": "B"}"#
        )
        .is_err());
    }

    #[test]
    fn a_flag_is_a_bool_in_json() {
        assert_eq!(
            serde_json::to_value(Flag(true)).unwrap(),
            serde_json::json!(true)
        );
    }
}
