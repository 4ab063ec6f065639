//! Keyset paging, shared by every list: a page ends with a cursor holding the sort key of
//! its last row, and the next page starts strictly after it. No `OFFSET`, so a page costs
//! the same however deep it is, and rows written meanwhile neither repeat nor go missing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::store::{Param, Statement, Store, rows_of};

/// Rows per page when the request does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 10;
/// Most rows per page.
pub const MAX_PAGE_SIZE: u32 = 50;
/// "No end": the largest integer a D1 binding (a JavaScript number) holds exactly; the
/// first page of a descending list starts below it.
pub const FOREVER: i64 = 9_007_199_254_740_991;

/// Where the next page starts: the numeric sort keys of the last row, then its id as the
/// tie-breaker. Opaque to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The sort keys, in the list's order of precedence.
    pub keys: Vec<i64>,
    /// The last row's id.
    pub id: String,
}

impl Cursor {
    /// The key at `index`, 0 if the cursor has fewer.
    pub fn key(&self, index: usize) -> i64 {
        self.keys.get(index).copied().unwrap_or_default()
    }

    /// The `cursor` value handed to clients.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        for key in &self.keys {
            text.push_str(&key.to_string());
            text.push('.');
        }
        text.push_str(&self.id);
        URL_SAFE_NO_PAD.encode(text)
    }

    /// Reads a `cursor` value of a list sorted by `key_count` keys; anything this crate
    /// did not make is refused.
    pub fn decode(value: &str, key_count: usize) -> Result<Cursor> {
        let invalid = || Error::InvalidQuery {
            param: "cursor".to_owned(),
            message: "cursor must be a next_cursor value from an earlier page".to_owned(),
        };
        if value.len() > 256 {
            return Err(invalid());
        }
        let bytes = URL_SAFE_NO_PAD.decode(value).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = text.splitn(key_count + 1, '.');
        let keys = (0..key_count)
            .map(|_| {
                parts
                    .next()
                    .and_then(|part| part.parse::<i64>().ok())
                    .filter(|key| (0..=FOREVER).contains(key))
                    .ok_or_else(invalid)
            })
            .collect::<Result<Vec<i64>>>()?;
        let id = parts.next().ok_or_else(invalid)?.to_owned();
        if id.is_empty() || !id.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        Ok(Cursor { keys, id })
    }
}

/// A page size from the `limit` query parameter.
pub fn page_size(value: Option<&str>) -> Result<u32> {
    let Some(value) = value else {
        return Ok(DEFAULT_PAGE_SIZE);
    };
    crate::validate::number_param("limit", value, 1..=MAX_PAGE_SIZE)
}

/// Cuts a page fetched with one row too many, returning the cursor after its last row
/// when there is a next page.
pub fn cut<T>(rows: &mut Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> Cursor) -> Option<String> {
    let limit = limit as usize;
    if rows.len() <= limit {
        return None;
    }
    rows.truncate(limit);
    rows.last().map(|last| cursor_of(last).encode())
}

/// The order of an admin list read by creation time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Oldest first: a queue, worked in the order things arrived.
    #[default]
    OldestFirst,
    /// Newest first: what came in lately, e.g. the published reviews a brand replies to.
    NewestFirst,
}

impl Order {
    /// Reads the `order` query parameter: `oldest` (the default) or `newest`.
    pub fn parse(value: Option<&str>) -> Result<Order> {
        match value {
            None | Some("oldest") => Ok(Order::OldestFirst),
            Some("newest") => Ok(Order::NewestFirst),
            Some(_) => Err(Error::InvalidQuery {
                param: "order".to_owned(),
                message: "order must be oldest or newest".to_owned(),
            }),
        }
    }
}

/// Runs an admin list read in `order` of creation: `sql` takes the `filters` parameters,
/// then the cursor's creation time and id (`(created_at, id) > (…, …)` oldest first,
/// `<` and a descending order newest first), then the row limit. Returns the page and the
/// cursor after it.
pub async fn by_creation<S: Store, T: DeserializeOwned>(
    store: &S,
    (sql, order): (&'static str, Order),
    mut filters: Vec<Param>,
    after: Option<&Cursor>,
    limit: u32,
    created_at_and_id: impl Fn(&T) -> (i64, String),
) -> Result<(Vec<T>, Option<String>)> {
    let first = match order {
        Order::OldestFirst => -1,
        Order::NewestFirst => FOREVER,
    };
    let (created_at, id) = after.map_or((first, ""), |cursor| (cursor.key(0), cursor.id.as_str()));
    filters.extend([created_at.into(), id.into(), (i64::from(limit) + 1).into()]);
    let mut results = store.batch(&[Statement::new(sql, filters)]).await?;
    let mut rows = rows_of::<T>(&mut results, 0)?;
    let next_cursor = cut(&mut rows, limit, |last| {
        let (created_at, id) = created_at_and_id(last);
        Cursor {
            keys: vec![created_at],
            id,
        }
    });
    Ok((rows, next_cursor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_forgeries() {
        let cursor = Cursor {
            keys: vec![4, 12, 1_764_500_000_000],
            id: "0123456789abcdef0123456789abcdef".into(),
        };
        assert_eq!(Cursor::decode(&cursor.encode(), 3), Ok(cursor));
        for forged in [
            "",
            "not base64!",
            &URL_SAFE_NO_PAD.encode("4.-1.0.ab"),
            &URL_SAFE_NO_PAD.encode("4.0.0.' OR 1=1 --"),
            &URL_SAFE_NO_PAD.encode("4.0.0"),
            &URL_SAFE_NO_PAD.encode("4.0.99999999999999999999.ab"),
            &"A".repeat(300),
        ] {
            assert!(Cursor::decode(forged, 3).is_err(), "{forged}");
        }
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None), Ok(DEFAULT_PAGE_SIZE));
        assert_eq!(page_size(Some("50")), Ok(50));
        assert!(page_size(Some("0")).is_err());
        assert!(page_size(Some("51")).is_err());
        assert!(page_size(Some("ten")).is_err());
    }

    #[test]
    fn a_page_is_cut_to_its_limit_with_a_cursor_after_its_last_row() {
        let mut rows = vec![5_i64, 4, 3];
        let next = cut(&mut rows, 2, |row| Cursor {
            keys: vec![*row],
            id: "ab".into(),
        });
        assert_eq!(rows, [5, 4]);
        assert_eq!(
            Cursor::decode(&next.expect("more"), 1).map(|c| c.keys),
            Ok(vec![4])
        );
        let mut last = vec![1_i64];
        assert_eq!(cut(&mut last, 2, |_| unreachable!()), None);
    }
}
