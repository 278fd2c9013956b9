use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::DatasetError;

/// A requested context length in tokens, written as NeedleBench writes it: `4k` is 4,000 and
/// `1m` is 1,000,000 (decimal, not 1024). `none` asks for no filler at all (the original
/// Ancestral Trace Challenge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenLength {
    None,
    Tokens(u64),
}

/// The longest context longforge will build; a typo like `1000m` should fail fast, not fill memory.
pub const MAX_TOKENS: u64 = 10_000_000;

impl TokenLength {
    pub fn tokens(self) -> Option<u64> {
        match self {
            TokenLength::None => None,
            TokenLength::Tokens(n) => Some(n),
        }
    }
}

impl FromStr for TokenLength {
    type Err = DatasetError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let bad = |message: &str| DatasetError::Length {
            input: input.to_string(),
            message: message.to_string(),
        };
        let s = input.trim().to_ascii_lowercase();
        if s == "none" {
            return Ok(TokenLength::None);
        }
        let (digits, scale) = match s.strip_suffix('k') {
            Some(d) => (d, 1_000),
            None => match s.strip_suffix('m') {
                Some(d) => (d, 1_000_000),
                None => (s.as_str(), 1),
            },
        };
        let usage = "write a whole number of tokens, optionally with k (thousand) or m (million): 512, 4k, 128k, 1m, or `none`";
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(usage));
        }
        let n: u64 = digits.parse().map_err(|_| bad(usage))?;
        let tokens = n.checked_mul(scale).ok_or_else(|| bad("too large"))?;
        if tokens == 0 {
            return Err(bad(
                "a length must be at least 1 token; use `none` for no filler",
            ));
        }
        if tokens > MAX_TOKENS {
            return Err(bad("longer than the 10m tokens longforge builds"));
        }
        Ok(TokenLength::Tokens(tokens))
    }
}

impl fmt::Display for TokenLength {
    /// The shortest form that parses back to the same value: `4k`, `1m`, `1500`, `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TokenLength::None => f.write_str("none"),
            TokenLength::Tokens(n) if n % 1_000_000 == 0 => write!(f, "{}m", n / 1_000_000),
            TokenLength::Tokens(n) if n % 1_000 == 0 => write!(f, "{}k", n / 1_000),
            TokenLength::Tokens(n) => write!(f, "{n}"),
        }
    }
}

impl Serialize for TokenLength {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Read from `"4k"`, `"none"` or a plain number of tokens (`4000`), so a hand-written
/// `--params` file may give either.
impl<'de> Deserialize<'de> for TokenLength {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Tokens(u64),
            Text(String),
        }
        match Written::deserialize(d) {
            Ok(Written::Tokens(n)) => n.to_string().parse().map_err(serde::de::Error::custom),
            Ok(Written::Text(s)) => s.parse().map_err(serde::de::Error::custom),
            Err(_) => Err(serde::de::Error::custom(
                "a length is a number of tokens or a text such as \"4k\", \"1m\" or \"none\"",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_read_from_numbers_or_text() {
        let read = |j: &str| serde_json::from_str::<TokenLength>(j);
        assert_eq!(read("512").unwrap(), TokenLength::Tokens(512));
        assert_eq!(read("\"4k\"").unwrap(), TokenLength::Tokens(4_000));
        assert!(read("-3").is_err() && read("true").is_err());
    }

    #[test]
    fn parses_needlebench_suffixes() {
        assert_eq!(
            "4k".parse::<TokenLength>().unwrap(),
            TokenLength::Tokens(4_000)
        );
        assert_eq!(
            "1M".parse::<TokenLength>().unwrap(),
            TokenLength::Tokens(1_000_000)
        );
        assert_eq!(
            "1500".parse::<TokenLength>().unwrap(),
            TokenLength::Tokens(1_500)
        );
        assert_eq!("none".parse::<TokenLength>().unwrap(), TokenLength::None);
    }

    #[test]
    fn rejects_typos_with_a_hint() {
        for bad in ["12q", "", "k", "4.5k", "-3", "0", "20m"] {
            let err = bad.parse::<TokenLength>().unwrap_err().to_string();
            assert!(err.contains(&format!("`{bad}`")), "{err}");
        }
        let err = "12q".parse::<TokenLength>().unwrap_err().to_string();
        assert!(err.contains("4k"), "message should show valid forms: {err}");
    }

    #[test]
    fn display_round_trips() {
        for s in ["4k", "1m", "1500", "none", "128k"] {
            let l: TokenLength = s.parse().unwrap();
            assert_eq!(l.to_string(), s);
        }
    }
}
