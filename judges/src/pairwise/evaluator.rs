//! The LLM evaluator: every showing rendered, asked through the request store (so a rerun asks
//! nothing twice), and the reply read into a [`Judgment`].

use std::sync::Arc;

use longforge_datasets::{Judgment, Order, Verdict};
use longforge_llm::{
    ask, for_each_concurrently, ChatRequest, Client, Constraint, Message, Sampling, Store,
};
use serde_json::{Map, Value};

use super::verdict::{read_code, read_label, soft_verdict, Shown, CODES};
use super::{Matchup, Template, VerdictMode};
use crate::JudgeError;

/// Alternatives asked per token in logprob mode: enough that all five codes are likely listed
/// even when the server reports log-probabilities from before the constraint.
pub const TOP_LOGPROBS: u8 = 20;

pub struct Evaluator {
    /// The judge's name in judgments.
    pub name: String,
    pub client: Client,
    pub template: Template,
    pub mode: VerdictMode,
    /// For label mode; logprob mode needs only a handful of tokens and asks for 8.
    pub sampling: Sampling,
}

/// What a matchup shows: the question, the reference if the template uses one, and the answers
/// of `model_a` and `model_b`.
pub struct PairTexts<'a> {
    pub question: &'a str,
    pub reference: Option<&'a str>,
    pub answer_a: &'a str,
    pub answer_b: &'a str,
}

/// One showing, rendered and ready to ask.
pub struct Showing {
    pub matchup: Matchup,
    pub order: Order,
    pub prompt: String,
    pub tag: String,
    /// The answers in the order shown.
    pub first: String,
    pub second: String,
}

impl Showing {
    /// Renders `matchup` in `order`; `answer_a` and `answer_b` are `model_a`'s and `model_b`'s.
    pub fn render(
        template: &Template,
        mode: VerdictMode,
        matchup: &Matchup,
        order: Order,
        texts: &PairTexts,
    ) -> Result<Self, JudgeError> {
        let (first, second) = match order {
            Order::Ab => (texts.answer_a, texts.answer_b),
            Order::Ba => (texts.answer_b, texts.answer_a),
        };
        let (prompt, tag) =
            template.render_pair(texts.question, texts.reference, first, second, mode)?;
        Ok(Showing {
            matchup: matchup.clone(),
            order,
            prompt,
            tag,
            first: first.to_string(),
            second: second.to_string(),
        })
    }

    fn lengths(&self) -> (usize, usize) {
        let (f, s) = (self.first.chars().count(), self.second.chars().count());
        match self.order {
            Order::Ab => (f, s),
            Order::Ba => (s, f),
        }
    }
}

impl Evaluator {
    pub fn request(&self, showing: &Showing) -> ChatRequest {
        match self.mode {
            VerdictMode::Label => ChatRequest {
                messages: vec![Message::user(showing.prompt.clone())],
                sampling: self.sampling,
                top_logprobs: None,
                constraint: None,
            },
            VerdictMode::Logprob => ChatRequest {
                messages: vec![Message::user(showing.prompt.clone())],
                sampling: Sampling {
                    max_tokens: 8,
                    ..self.sampling
                },
                top_logprobs: Some(TOP_LOGPROBS),
                constraint: Some(Constraint::Choice(
                    CODES.iter().map(|c| c.to_string()).collect(),
                )),
            },
        }
    }

    /// Asks one showing (or takes it from the store) and reads the reply.
    pub async fn judge(&self, store: &Store, showing: &Showing) -> Judgment {
        let request = self.request(showing);
        let (length_a, length_b) = showing.lengths();
        let m = &showing.matchup;
        let mut j = Judgment {
            length_a,
            length_b,
            ..Judgment::new(
                &m.question_id,
                &m.model_a,
                &m.model_b,
                &self.name,
                showing.order,
            )
        };
        let asked = match ask(&self.client, store, &request).await {
            Ok(asked) => asked,
            Err((fingerprint, failure)) => {
                j.fingerprint = Some(fingerprint);
                j.error = Some(failure.cause);
                return j;
            }
        };
        j.fingerprint = Some(asked.fingerprint);
        j.error = asked
            .store_error
            .map(|e| format!("judged, but not stored: {e}"));
        let reply = asked.response.text;
        let shown_verdict = match self.mode {
            VerdictMode::Label => read_label(
                &reply,
                &Shown {
                    first: &showing.first,
                    second: &showing.second,
                    tag: &showing.tag,
                },
                asked.response.finish_reason.as_deref() == Some("length"),
            ),
            VerdictMode::Logprob => read_code(&reply),
        };
        let to_a = |v: Verdict| match showing.order {
            Order::Ab => v,
            Order::Ba => v.swapped(),
        };
        if let Some(v) = shown_verdict {
            j.raw_verdict = Some(v.label().to_string());
            j.verdict = to_a(v);
        }
        if self.mode == VerdictMode::Logprob {
            if let Some(soft) = asked.response.logprobs.as_ref().and_then(soft_verdict) {
                let soft = match showing.order {
                    Order::Ab => soft,
                    Order::Ba => soft.swapped(),
                };
                let mut probabilities = Map::new();
                for (v, p) in Verdict::SCALE.iter().zip(soft.probabilities) {
                    probabilities.insert(v.label().to_string(), Value::from(p));
                }
                j.expected_score = Some(soft.expected_score());
                j.probabilities = Some(probabilities);
                j.missing_codes = soft.missing;
            }
        }
        j.raw = Some(reply);
        j
    }
}

/// Judges every showing with up to the client's concurrency in flight; `on_done` is called once
/// per judgment. Judgments come back sorted by question, models and order.
pub async fn judge_all(
    showings: Vec<Showing>,
    evaluator: Arc<Evaluator>,
    store: Arc<Store>,
    on_done: Arc<dyn Fn(&Judgment) + Send + Sync>,
) -> Vec<Judgment> {
    let mut out = for_each_concurrently(
        showings,
        move |showing| {
            let (evaluator, store) = (evaluator.clone(), store.clone());
            async move { evaluator.judge(&store, &showing).await }
        },
        on_done,
    )
    .await;
    sort_judgments(&mut out);
    out
}

/// The order judgments are written in.
pub fn sort_judgments(judgments: &mut [Judgment]) {
    judgments.sort_by(|x, y| {
        (&x.question_id, &x.model_a, &x.model_b, &x.judge, x.order).cmp(&(
            &y.question_id,
            &y.model_a,
            &y.model_b,
            &y.judge,
            y.order,
        ))
    });
}
