//! The prompts, as minijinja templates: the original's shape (instructions that a statement is
//! TRUE only if all of it is true, the book in `<context>`, the claim in `<statement>`, the
//! question, then an explanation in `<explanation>` and the answer in `<answer>`), and its
//! "simple" variant without the answer format, which the original used for open-weight models.
//! The wording is longforge's own.
//!
//! The format line shows `<answer>TRUE or FALSE</answer>`, which models often echo before their
//! real answer; the scorer's parser skips a tag holding anything but TRUE or FALSE.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::GenerateError;

/// Which prompt a dataset's samples carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PromptStyle {
    /// Explanation and answer in tags.
    Tagged,
    /// The question alone; the answer is read from the first TRUE or FALSE in the reply.
    Simple,
}

impl PromptStyle {
    pub fn name(self) -> &'static str {
        match self {
            PromptStyle::Tagged => "tagged",
            PromptStyle::Simple => "simple",
        }
    }

    fn template(self) -> &'static str {
        match self {
            PromptStyle::Tagged => TAGGED,
            PromptStyle::Simple => SIMPLE,
        }
    }
}

const TAGGED: &str =
    "Read the book below, then decide whether the statement after it is true or false. \
A statement is TRUE only if every part of it is true of the book; if any part of it is false, \
the whole statement is FALSE.

<context>
{{ context }}
</context>

<statement>{{ claim }}</statement>

Is the statement TRUE or FALSE? Explain your reasoning briefly first, then give your answer, \
in this format:
<explanation>your explanation</explanation>
<answer>TRUE or FALSE</answer>
";

const SIMPLE: &str =
    "Read the book below, then decide whether the statement after it is true or false. \
A statement is TRUE only if every part of it is true of the book; if any part of it is false, \
the whole statement is FALSE.

<context>
{{ context }}
</context>

<statement>{{ claim }}</statement>

Is the statement TRUE or FALSE?
";

/// The prompt for `claim` with `context` (the book, or the dataset's context slot where the
/// book is shared).
pub fn render(style: PromptStyle, context: &str, claim: &str) -> Result<String, GenerateError> {
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    env.render_str(
        style.template(),
        json!({"context": context, "claim": claim}),
    )
    .map_err(|e| GenerateError::param("prompt", format!("the prompt template failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_prompts_hold_the_book_and_the_claim_once() {
        for style in [PromptStyle::Tagged, PromptStyle::Simple] {
            let p = render(style, "{{context}}", "Ann met Bo at Dunmere.").unwrap();
            assert_eq!(p.matches("{{context}}").count(), 1, "{p}");
            assert!(p.contains("<statement>Ann met Bo at Dunmere.</statement>"));
            let tagged = p.contains("<answer>TRUE or FALSE</answer>");
            assert_eq!(tagged, style == PromptStyle::Tagged, "{p}");
        }
    }
}
