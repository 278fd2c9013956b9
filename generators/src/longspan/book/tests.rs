//! Book questions with a scripted generator: what it writes is kept only where its quotes are
//! in the book, far apart, and its answer names someone the question does not; the rest is
//! recorded with why, and the same replies give the same dataset.

use std::sync::Mutex;

use longforge_datasets::{TokenCounter, TokenizerSpec};
use serde_json::{json, Value};

use super::*;
use crate::longspan::params::with_defaults;

/// Four chapters: Nora Marrow and Tom Hale throughout, Ilse Quill late, filler between.
fn book() -> String {
    let filler = |c: usize, i: usize| {
        format!("The wind came down from the hills in the {c}th hour and the {i}th, and the fields lay quiet under it.")
    };
    let mut chapters = Vec::new();
    let plot = [
        "Nora Marrow gave the brass compass to Tom Hale at Kettering Mill on a grey morning.",
        "Tom Hale sailed north with the brass compass, and Nora Marrow watched from the quay.",
        "Ilse Quill met Tom Hale at the harbour and asked him where he had found the compass.",
        "At the end Tom Hale gave the brass compass back to Nora Marrow, and Ilse Quill wept.",
    ];
    for (c, event) in plot.iter().enumerate() {
        let mut paras = vec![format!("Chapter {}", c + 1)];
        for i in 0..12 {
            paras.push(filler(c, i));
        }
        paras.insert(6, event.to_string());
        chapters.push(paras.join("\n\n"));
    }
    chapters.join("\n\n")
}

/// Answers each prompt with the reply scripted for the entity it asks about, and counts asks.
struct Scripted {
    replies: Vec<(&'static str, String)>,
    asked: Mutex<Vec<String>>,
}

impl Asker for Scripted {
    fn name(&self) -> &str {
        "scripted"
    }
    fn ask(&self, prompt: &str, schema: &Value) -> Result<String, String> {
        assert_eq!(schema["required"], json!(["questions"]));
        let entity = prompt
            .split("Every passage mentions ")
            .nth(1)
            .and_then(|r| r.split('.').next())
            .ok_or("no entity in the prompt")?;
        self.asked.lock().unwrap().push(entity.to_string());
        Ok(self
            .replies
            .iter()
            .find(|(e, _)| *e == entity)
            .map_or_else(|| json!({"questions": []}).to_string(), |r| r.1.clone()))
    }
}

fn scripted() -> Scripted {
    let q = |question: &str, answer: &str, evidence: &[&str]| json!({"question": question, "answer": answer, "evidence": evidence});
    let nora = json!({"questions": [
        // Rejected: a quote the book does not hold.
        q("Why did Nora Marrow leave Kettering Mill?",
          "Tom Hale asked her to.",
          &["Nora Marrow left Kettering Mill in the night", "At the end Tom Hale gave the brass compass back"]),
        // Rejected: both quotes in chapter one.
        q("Where did Nora Marrow first give the compass away?",
          "At Kettering Mill, to Tom Hale.",
          &["Nora Marrow gave the brass compass to Tom Hale", "Tom Hale at Kettering Mill on a grey morning"]),
        // Rejected: a near-duplicate of the question kept about Tom Hale.
        q("Who asked Tom Hale about the compass, and whom did he give it to then?",
          "Ilse Quill; he gave it to Nora.",
          &["Ilse Quill met Tom Hale at the harbour",
            "At the end Tom Hale gave the brass compass back to Nora Marrow"]),
        // Kept: two quotes far apart, and the answer names Tom Hale.
        q("What became of the compass Nora Marrow gave away?",
          "Tom Hale carried it north and in the end gave it back to her.",
          &["Nora Marrow gave the brass compass to Tom Hale at Kettering Mill",
            "At the end Tom Hale gave the brass compass back to Nora Marrow"]),
    ]});
    let tom = json!({"questions": [
        // Rejected: the answer names no one the question does not.
        q("How did Tom Hale's voyage end?",
          "It ended where it began.",
          &["Tom Hale sailed north with the brass compass", "At the end Tom Hale gave the brass compass back"]),
        // Kept: the answer names Ilse Quill and Nora.
        q("Who asked Tom Hale about the compass, and whom did he give it to?",
          "Ilse Quill asked him at the harbour; he gave it to Nora.",
          &["Ilse Quill met Tom Hale at the harbour", "Tom Hale sailed north with the brass compass",
            "At the end Tom Hale gave the brass compass back to Nora Marrow"]),
    ]});
    Scripted {
        replies: vec![
            ("Nora Marrow", nora.to_string()),
            ("Tom Hale", tom.to_string()),
            ("Ilse Quill", "not json".into()),
        ],
        asked: Mutex::new(Vec::new()),
    }
}

fn params(questions: usize) -> Params {
    let mut p =
        with_defaults(json!({"book": {"file": "b.txt", "sha256": "00"}, "questions": questions}))
            .unwrap();
    p.generator = Some("scripted".into());
    p
}

fn write_book(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("b.txt");
    std::fs::write(&path, book()).unwrap();
    path
}

#[test]
fn only_questions_whose_quotes_hold_up_are_kept_and_the_rest_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_book(dir.path());
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
    let asker = scripted();
    let made = generate(&params(2), &path, &counter, &asker).unwrap();
    let text = book();
    let chars: Vec<char> = text.chars().collect();
    let questions: Vec<&str> = made
        .generated
        .samples
        .iter()
        .map(|s| s.question.as_str())
        .collect();
    assert_eq!(
        questions,
        [
            "Who asked Tom Hale about the compass, and whom did he give it to?",
            "What became of the compass Nora Marrow gave away?"
        ]
    );
    for s in &made.generated.samples {
        let evidence: Vec<Evidence> = serde_json::from_value(s.meta["evidence"].clone()).unwrap();
        assert!(evidence.len() >= 2);
        for e in &evidence {
            assert_eq!(
                chars[e.char_start..e.char_end].iter().collect::<String>(),
                e.text
            );
        }
        assert!(evidence.last().unwrap().char_start - evidence[0].char_start > chars.len() / 5);
        assert_eq!(s.context_id.as_deref(), Some(BOOK_ID));
    }
    let keys = |i: usize| -> Vec<String> {
        let a: KeyedAnswer =
            serde_json::from_value(made.generated.samples[i].reference.value.clone()).unwrap();
        a.keys.into_iter().map(|k| k.fact).collect()
    };
    // Salient entities in rank order: Tom Hale is named most.
    assert_eq!(keys(0), ["Nora Marrow", "Ilse Quill"]);
    assert_eq!(keys(1), ["Tom Hale"]);
    let reasons: Vec<String> = made
        .rejected
        .iter()
        .map(|r| r["reason"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(
        reasons[0].contains("names no salient entity"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("1 of its 2 quotes found"),
        "{reasons:?}"
    );
    assert!(reasons[2].starts_with("its evidence spans"), "{reasons:?}");
    assert_eq!(reasons[3], "a near-duplicate of question 0");
    // Enough kept after two entities: the third is never asked.
    assert_eq!(*asker.asked.lock().unwrap(), ["Tom Hale", "Nora Marrow"]);
    let (name, bytes) = &made.extra_files()[0];
    assert_eq!(name, "rejected.jsonl");
    assert_eq!(String::from_utf8_lossy(bytes).lines().count(), 4);
}

#[test]
fn fewer_questions_kept_than_asked_are_written_with_every_rejection() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_book(dir.path());
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
    let asker = scripted();
    let made = generate(&params(5), &path, &counter, &asker).unwrap();
    assert_eq!(made.generated.samples.len(), 2);
    assert_eq!(
        *asker.asked.lock().unwrap(),
        ["Tom Hale", "Nora Marrow", "Ilse Quill"]
    );
    let last = made.rejected.last().unwrap();
    assert_eq!(last["entity"], "Ilse Quill");
    assert!(last["reason"]
        .as_str()
        .unwrap()
        .starts_with("the reply is not the JSON asked for"));
    assert_eq!(last["reply"], "not json");
}

#[test]
fn the_same_replies_make_the_same_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_book(dir.path());
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
    let a = generate(&params(2), &path, &counter, &scripted()).unwrap();
    let b = generate(&params(2), &path, &counter, &scripted()).unwrap();
    assert_eq!(a.generated.samples, b.generated.samples);
    assert_eq!(a.extra_files(), b.extra_files());
}

#[test]
fn rejections_are_written_and_recorded_and_the_whole_is_never_sharded() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_book(dir.path());
    let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
    let made = generate(&params(2), &path, &counter, &scripted()).unwrap();
    let params = serde_json::to_value(params(2)).unwrap();
    let out = dir.path().join("d");
    std::fs::create_dir(&out).unwrap();
    let write = |shard| {
        crate::write_source(
            &super::super::LongSpan,
            &made,
            &params,
            &out,
            shard,
            None,
            &mut |_, _| {},
        )
    };
    let err = write(Some((1, 2)))
        .expect_err("a shard is refused")
        .to_string();
    assert!(
        err.starts_with("--shard") && err.contains("rejected.jsonl"),
        "{err}"
    );
    let manifest = write(None).unwrap();
    let listed: Vec<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    assert!(listed.contains(&"rejected.jsonl"), "{listed:?}");
    let text = std::fs::read_to_string(out.join("rejected.jsonl")).unwrap();
    assert_eq!(text.lines().count(), made.rejected.len());
}
