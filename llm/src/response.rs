//! Reading a chat-completions reply, strictly: anything but a well-formed reply with at least one
//! choice is a failure with a cause, never a guessed answer.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatResponse {
    pub text: String,
    /// The first choice's `logprobs` object as the server sent it.
    #[serde(default)]
    pub logprobs: Option<Value>,
    #[serde(default)]
    pub usage: Option<Value>,
    #[serde(default)]
    pub finish_reason: Option<String>,
    /// A reasoning server's thinking (`reasoning_content`, or `reasoning`), kept apart from the
    /// answer and never scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
}

impl ChatResponse {
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let value: Value = serde_json::from_slice(body).map_err(|e| {
            let head: String = String::from_utf8_lossy(body).chars().take(120).collect();
            format!("reply is not JSON ({e}): {head:?}")
        })?;
        let choice = value
            .get("choices")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .ok_or("reply has no choices")?;
        let message = choice
            .get("message")
            .ok_or("reply's first choice has no message")?;
        let reasoning = ["reasoning_content", "reasoning"]
            .iter()
            .find_map(|k| message.get(*k).and_then(Value::as_str))
            .map(String::from);
        // A null content is an empty answer (a reasoning model cut off before it answered);
        // a missing one is only when the reply carries reasoning instead.
        let text = match message.get("content") {
            Some(Value::String(s)) => s.as_str(),
            Some(Value::Null) => "",
            None if reasoning.is_some() => "",
            _ => return Err("reply's first choice has no message content".into()),
        };
        Ok(ChatResponse {
            reasoning,
            text: text.to_string(),
            logprobs: choice.get("logprobs").filter(|l| !l.is_null()).cloned(),
            usage: value.get("usage").cloned(),
            finish_reason: choice
                .get("finish_reason")
                .and_then(Value::as_str)
                .map(String::from),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_replies_and_names_what_is_wrong() {
        let ok = br#"{"choices":[{"message":{"role":"assistant","content":"hi"},"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":3}}"#;
        let r = ChatResponse::parse(ok).unwrap();
        assert_eq!(r.text, "hi");
        assert_eq!(r.logprobs, None);
        assert_eq!(r.usage.unwrap()["prompt_tokens"], 3);
        assert!(ChatResponse::parse(b"<html>")
            .unwrap_err()
            .contains("not JSON"));
        assert!(ChatResponse::parse(br#"{"choices":[]}"#)
            .unwrap_err()
            .contains("no choices"));
        assert!(ChatResponse::parse(br#"{"choices":[{"message":{}}]}"#)
            .unwrap_err()
            .contains("no message content"));
        // shared/cases/field-1/server-replies.jsonl, second line: a reasoning server cut off.
        let thinking = br#"{"choices":[{"message":{"role":"assistant","content":null,"reasoning_content":"Let me think"},"finish_reason":"length"}]}"#;
        let r = ChatResponse::parse(thinking).unwrap();
        assert_eq!(
            (r.text.as_str(), r.reasoning.as_deref()),
            ("", Some("Let me think"))
        );
        assert_eq!(r.finish_reason.as_deref(), Some("length"));
        let r =
            ChatResponse::parse(br#"{"choices":[{"message":{"reasoning":"hm","content":"4"}}]}"#)
                .unwrap();
        assert_eq!((r.text.as_str(), r.reasoning.as_deref()), ("4", Some("hm")));
    }
}
