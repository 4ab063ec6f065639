//! The D1 adapter of [`Store`]: binds the core's SQL statements and reads their rows.

use portevoix_core::nps::NpsCounts;
use portevoix_core::store::{
    NewNpsAnswer, Param, Recorded, Row, SiteRow, Statement, Store, StoredNps, sql,
};
use portevoix_core::{Error, Result};
use serde::Deserialize;
use worker::D1Database;
use worker::wasm_bindgen::JsValue;

/// A [`Store`] over the worker's `DB` binding.
pub struct D1Store {
    database: D1Database,
}

impl D1Store {
    pub fn new(database: D1Database) -> D1Store {
        D1Store { database }
    }
}

fn storage(error: worker::Error) -> Error {
    Error::Storage(error.to_string())
}

fn text(value: &str) -> JsValue {
    JsValue::from_str(value)
}

fn optional_text(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

fn number(value: i64) -> JsValue {
    JsValue::from_f64(value as f64)
}

fn bound(param: &Param) -> JsValue {
    match param {
        Param::Text(value) => text(value),
        Param::Integer(value) => number(*value),
        Param::Null => JsValue::NULL,
    }
}

/// D1 hands every number over as a JavaScript number; whole ones become integers again so
/// that rows read the same as SQLite's.
fn integral(row: Row) -> Row {
    row.into_iter()
        .map(|(name, value)| {
            let value = match value.as_f64() {
                Some(float) if float.fract() == 0.0 && float.abs() < 9_007_199_254_740_992.0 => {
                    serde_json::Value::from(float as i64)
                }
                _ => value,
            };
            (name, value)
        })
        .collect()
}

#[derive(Deserialize)]
struct CountsRow {
    total: u64,
    promoters: u64,
    detractors: u64,
}

impl Store for D1Store {
    async fn site(&self, site_id: &str) -> Result<Option<SiteRow>> {
        self.database
            .prepare(sql::SELECT_SITE)
            .bind(&[text(site_id)])
            .map_err(storage)?
            .first::<SiteRow>(None)
            .await
            .map_err(storage)
    }

    async fn record_nps(&self, answer: &NewNpsAnswer) -> Result<Recorded<StoredNps>> {
        let insert = self
            .database
            .prepare(sql::INSERT_NPS)
            .bind(&[
                text(&answer.site_id),
                text(&answer.idempotency_key),
                text(&answer.visitor_id),
                optional_text(answer.customer_id.as_deref()),
                number(answer.score.into()),
                text(answer.category.as_str()),
                optional_text(answer.comment.as_deref()),
                optional_text(answer.page_url.as_deref()),
                optional_text(answer.locale.as_deref()),
                number(answer.created_at),
                optional_text(answer.comment_hash.as_deref()),
            ])
            .map_err(storage)?;
        let earlier = self
            .database
            .prepare(sql::SELECT_NPS_BY_KEY)
            .bind(&[text(&answer.site_id), text(&answer.idempotency_key)])
            .map_err(storage)?;
        // One batch, one round trip: the insert's RETURNING row if it stored something,
        // otherwise the row an earlier request stored under the same key.
        let results = self
            .database
            .batch(vec![insert, earlier])
            .await
            .map_err(storage)?;
        let rows = |index: usize| -> Result<Option<StoredNps>> {
            let result = results
                .get(index)
                .ok_or_else(|| Error::Storage("D1 batch returned too few results".into()))?;
            Ok(result
                .results::<StoredNps>()
                .map_err(storage)?
                .into_iter()
                .next())
        };
        if let Some(created) = rows(0)? {
            return Ok(Recorded::Created(created));
        }
        rows(1)?
            .map(Recorded::Replayed)
            .ok_or_else(|| Error::Storage("idempotent insert found no row".into()))
    }

    async fn find_nps(&self, site_id: &str, idempotency_key: &str) -> Result<Option<StoredNps>> {
        self.database
            .prepare(sql::SELECT_NPS_BY_KEY)
            .bind(&[text(site_id), text(idempotency_key)])
            .map_err(storage)?
            .first::<StoredNps>(None)
            .await
            .map_err(storage)
    }

    async fn comment_seen(
        &self,
        site_id: &str,
        comment_hash: &str,
        since_ms: i64,
        visitor_id: &str,
    ) -> Result<bool> {
        let seen = self
            .database
            .prepare(sql::COMMENT_SEEN)
            .bind(&[
                text(site_id),
                text(comment_hash),
                number(since_ms),
                text(visitor_id),
            ])
            .map_err(storage)?
            .first::<u8>(Some("seen"))
            .await
            .map_err(storage)?;
        Ok(seen == Some(1))
    }

    async fn nps_counts(&self, site_id: &str, from_ms: i64, to_ms: i64) -> Result<NpsCounts> {
        let row = self
            .database
            .prepare(sql::COUNT_NPS)
            .bind(&[text(site_id), number(from_ms), number(to_ms)])
            .map_err(storage)?
            .first::<CountsRow>(None)
            .await
            .map_err(storage)?
            .unwrap_or(CountsRow {
                total: 0,
                promoters: 0,
                detractors: 0,
            });
        Ok(NpsCounts {
            total: row.total,
            promoters: row.promoters,
            detractors: row.detractors,
        })
    }

    async fn batch(&self, statements: &[Statement]) -> Result<Vec<Vec<Row>>> {
        let prepared = statements
            .iter()
            .map(|statement| {
                let params: Vec<JsValue> = statement.params.iter().map(bound).collect();
                self.database
                    .prepare(statement.sql)
                    .bind(&params)
                    .map_err(storage)
            })
            .collect::<Result<Vec<_>>>()?;
        // D1 runs a batch as one transaction.
        let results = self.database.batch(prepared).await.map_err(storage)?;
        results
            .iter()
            .map(|result| {
                Ok(result
                    .results::<Row>()
                    .map_err(storage)?
                    .into_iter()
                    .map(integral)
                    .collect())
            })
            .collect()
    }
}
