//! A small map kept as a vector sorted by key, for the maps the widgets receive (copy
//! overrides, a review histogram) and keep (one entry per site or widget). A `BTreeMap` or
//! `HashMap` costs the widgets' Wasm its node or table code once per key and value type;
//! these maps hold a handful of entries, which a sorted vector and a binary search serve
//! as well. In JSON it is an object with its keys in order,
//! exactly as a `BTreeMap` is written.

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Entries sorted by key, each key once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dict<K, V>(Vec<(K, V)>);

impl<K, V> Default for Dict<K, V> {
    fn default() -> Self {
        Dict(Vec::new())
    }
}

impl<K: Ord, V> Dict<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    fn position<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0
            .binary_search_by(|(entry, _)| entry.borrow().cmp(key))
    }

    /// The value of `key`, if there is one.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.position(key).ok().map(|index| &self.0[index].1)
    }

    /// Sets `key` to `value`, returning the value it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(index) => Some(std::mem::replace(&mut self.0[index].1, value)),
            Err(index) => {
                self.0.insert(index, (key, value));
                None
            }
        }
    }

    /// The value of `key`, made by `make` and stored first if there is none.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let index = match self.position(&key) {
            Ok(index) => index,
            Err(index) => {
                self.0.insert(index, (key, make()));
                index
            }
        };
        &mut self.0[index].1
    }

    /// Takes `key` out, returning its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let index = self.position(key).ok()?;
        Some(self.0.remove(index).1)
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(key, value)| (key, value))
    }

    /// The entries in key order, values changeable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.0.iter_mut().map(|(key, value)| (&*key, value))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(key, _)| key)
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, value)| value)
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for Dict<K, V> {
    /// A later entry for the same key replaces an earlier one, as in a `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut dict = Dict::new();
        for (key, value) in entries {
            dict.insert(key, value);
        }
        dict
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for Dict<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K, V> IntoIterator for Dict<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<K, V, Q> std::ops::Index<&Q> for Dict<K, V>
where
    K: Ord + Borrow<Q>,
    Q: Ord + ?Sized,
{
    type Output = V;

    /// Panics when `key` is missing, as a `BTreeMap` does: for tests and known keys.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for this key")
    }
}

impl<K: Serialize, V: Serialize> Serialize for Dict<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Dict<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DictVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for DictVisitor<K, V> {
            type Value = Dict<K, V>;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut dict = Dict::new();
                while let Some((key, value)) = access.next_entry()? {
                    dict.insert(key, value);
                }
                Ok(dict)
            }
        }

        deserializer.deserialize_map(DictVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn keeps_keys_sorted_and_once_whatever_the_order_they_come_in() {
        let dict: Dict<&str, u32> = [("pt-BR", 1), ("en", 2), ("fr", 3), ("en", 4)].into();
        assert_eq!(
            dict.keys().copied().collect::<Vec<_>>(),
            ["en", "fr", "pt-BR"]
        );
        assert_eq!(dict.get("en"), Some(&4), "the later entry wins");
        assert_eq!(dict.get("de"), None);
        assert_eq!(dict.iter().count(), 3);
    }

    #[test]
    fn insert_answers_what_it_replaced() {
        let mut dict = Dict::new();
        assert_eq!(dict.insert(2, "b"), None);
        assert_eq!(dict.insert(1, "a"), None);
        assert_eq!(dict.insert(2, "B"), Some("b"));
        assert_eq!(dict.iter().collect::<Vec<_>>(), [(&1, &"a"), (&2, &"B")]);
    }

    #[test]
    fn get_or_insert_with_makes_a_value_only_for_a_new_key() {
        let mut dict: Dict<&str, u8> = [("a", 1)].into();
        assert_eq!(
            *dict.get_or_insert_with("a", || unreachable!("a is there")),
            1
        );
        assert_eq!(*dict.get_or_insert_with("b", || 2), 2);
        assert_eq!(dict.iter().collect::<Vec<_>>(), [(&"a", &1), (&"b", &2)]);
    }

    #[test]
    fn remove_answers_what_it_took_out() {
        let mut dict: Dict<String, u8> = [("a".to_owned(), 1), ("b".to_owned(), 2)].into();
        assert_eq!(dict.remove("a"), Some(1));
        assert_eq!(dict.remove("a"), None);
        assert_eq!(dict.keys().collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn reads_and_writes_the_json_a_btree_map_does() {
        let json = r#"{"en":{"nps.question":"How likely?"},"fr":{},"pt-BR":{"a":"b"}}"#;
        let dict: Dict<String, Dict<String, String>> = serde_json::from_str(json).expect("reads");
        let btree: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_str(json).expect("reads");
        assert_eq!(serde_json::to_string(&dict).expect("writes"), json);
        assert_eq!(serde_json::to_string(&btree).expect("writes"), json);
        assert_eq!(
            serde_json::to_string(&Dict::<String, u8>::new()).expect("writes"),
            "{}"
        );
    }

    #[test]
    fn refuses_what_is_not_an_object() {
        assert!(serde_json::from_str::<Dict<String, u8>>("[]").is_err());
        assert!(serde_json::from_str::<Dict<String, u8>>(r#"{"a":"b"}"#).is_err());
    }
}
