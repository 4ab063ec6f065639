//! JSON through the browser's own parser, for the widgets and the console:
//! `JSON.parse` and `JSON.stringify` do the text, serde only maps JS values to Rust
//! types. Far smaller Wasm than a Rust JSON parser.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// Why a JSON text could not become a value, or a value a text.
pub struct JsonError(String);

impl std::fmt::Display for JsonError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.0)
    }
}

fn js_error(error: JsValue) -> JsonError {
    JsonError(
        js_sys::Error::from(error)
            .message()
            .as_string()
            .unwrap_or_default(),
    )
}

/// Parses `text` into a `T`, as `json::from_str` would.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let value = js_sys::JSON::parse(text).map_err(js_error)?;
    serde_wasm_bindgen::from_value(value).map_err(|error| JsonError(error.to_string()))
}

/// Writes `value` as JSON text with plain objects for maps and `null` for `None`.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, JsonError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = value
        .serialize(&serializer)
        .map_err(|error| JsonError(error.to_string()))?;
    js_sys::JSON::stringify(&value)
        .map(String::from)
        .map_err(js_error)
}
