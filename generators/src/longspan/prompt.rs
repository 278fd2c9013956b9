//! The prompt: the book in `<book>`, then the question, then a request for a short answer in
//! prose that names who, what and where. The wording is longforge's own; the paper publishes no
//! prompt.

use serde_json::json;

use crate::GenerateError;

const TEMPLATE: &str = "Read the book below, then answer the question after it. The answer may \
need events from anywhere in the book, from the first chapter to the last.

<book>
{{ context }}
</book>

Question: {{ question }}

Answer in a few sentences, naming the people, places and things involved, in the order the \
events happen.
";

/// The prompt for `question` about `context` (the book, or the dataset's context slot where the
/// book is shared).
pub fn render(context: &str, question: &str) -> Result<String, GenerateError> {
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    env.render_str(TEMPLATE, json!({"context": context, "question": question}))
        .map_err(|e| GenerateError::param("(all)", format!("the prompt template failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_holds_the_book_and_the_question_once() {
        let p = render("{{context}}", "Who has the locket?").unwrap();
        assert_eq!(p.matches("{{context}}").count(), 1, "{p}");
        assert!(p.contains("Question: Who has the locket?\n"), "{p}");
    }
}
