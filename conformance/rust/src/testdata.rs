//! Where the programs find the repository's vectors, and how they read a JSON file of them.
use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;

/// The program's argument at `index` (1 for the first), or else `default`, a path relative to the
/// repository root, resolved from this package's directory so that a program runs from anywhere.
pub fn path(index: usize, default: &str) -> String {
    std::env::args()
        .nth(index)
        .unwrap_or_else(|| format!("{}/../../{default}", env!("CARGO_MANIFEST_DIR")))
}

/// Why a JSON file could not be read: the file itself, or its text. Displays as the inner error.
#[derive(Debug)]
pub enum JsonError {
    Read(std::io::Error),
    Parse(serde_json::Error),
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Read(e) => e.fmt(f),
            JsonError::Parse(e) => e.fmt(f),
        }
    }
}

/// The JSON file at `path` read as a `T`.
pub fn read_json<T: DeserializeOwned>(path: impl AsRef<Path>) -> Result<T, JsonError> {
    let raw = std::fs::read_to_string(path).map_err(JsonError::Read)?;
    serde_json::from_str(&raw).map_err(JsonError::Parse)
}
