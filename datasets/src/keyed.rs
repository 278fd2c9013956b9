//! The reference of an open question: a written answer and the key facts any correct answer
//! names, so a rule can give partial credit where only an evaluator can judge the whole.

use serde::{Deserialize, Serialize};

use crate::Reference;

/// The reference kind a [`KeyedAnswer`] is stored under.
pub const KEYED_ANSWER: &str = "keyed_answer";

/// A reference answer in prose and the facts it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyedAnswer {
    /// The answer a perfect reader would write; what an evaluator reads as the reference.
    pub text: String,
    /// The facts a correct answer must name (at least one), in the order the answer tells them.
    pub keys: Vec<KeyFact>,
    /// Whether the question asks for the facts in order (a trail, a route), so their order in an
    /// answer is part of its correctness.
    pub ordered: bool,
}

/// One fact of a [`KeyedAnswer`]: a person, place, thing or deed, and the ways of naming it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFact {
    /// The fact as the reference names it.
    pub fact: String,
    /// Every way of naming it that counts (the full name, the given name ...), matched as whole
    /// words by [`crate::mentions`]; never empty.
    pub aliases: Vec<String>,
}

impl Reference {
    /// An open answer with its key facts (kind [`KEYED_ANSWER`]).
    pub fn keyed(answer: &KeyedAnswer) -> Self {
        Reference {
            kind: KEYED_ANSWER.into(),
            value: serde_json::to_value(answer).expect("a keyed answer serialises"),
        }
    }
}
