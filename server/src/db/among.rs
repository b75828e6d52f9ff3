//! "This column is one of these ids" as a statement each backend keeps prepared.
//!
//! diesel writes `eq_any` on SQLite as `IN (?, ?, …)`, one placeholder per id, and never caches
//! such a statement, so SQLite compiled the authors and reactions of every thread page again on
//! every request (a tenth of the page's CPU). `among` sends the ids as one value instead: on
//! SQLite a JSON array read by `json_each`, on PostgreSQL an array (`= ANY($1)`, what diesel's
//! `eq_any` writes there too). The statement's text no longer depends on how many ids there
//! are, so diesel's statement cache keeps it.

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Text};
use diesel::sqlite::Sqlite;
use diesel::QueryResult;

use super::MultiBackend;

/// `column` is one of `ids` (see the module).
#[derive(Debug, Clone)]
pub struct Among<C> {
    column: C,
    ids: Vec<i64>,
    json: String,
}

/// `column` is one of `ids`, as a filter every backend keeps prepared.
pub fn among<C>(column: C, ids: impl IntoIterator<Item = i64>) -> Among<C> {
    let ids: Vec<i64> = ids.into_iter().collect();
    let json = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
    Among { column, ids, json }
}

impl<C: Expression> Expression for Among<C> {
    type SqlType = Bool;
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for Among<C> where Self: Expression {}

impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for Among<C> where
    Self: AppearsOnTable<QS>
{
}

impl<C: ValidGrouping<GB>, GB> ValidGrouping<GB> for Among<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C> QueryId for Among<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for Among<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for Among<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<BigInt>, _>(&self.ids)?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C> QueryFragment<MultiBackend> for Among<C>
where
    Self: QueryFragment<Sqlite> + QueryFragment<Pg>,
    MultiBackend: Backend,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}
