//! What must hold for every NoCha-style dataset, whatever the seed: the two claims of a pair
//! differ only in the swapped detail; the world, rebuilt from the seed, makes the true claim
//! true and the false one false (re-derived from `meta.claim`, not read from `meta.truth`);
//! every evidence span holds its text; books are within tolerance of their length, counted
//! again with tiktoken; no book repeats a paragraph; filler shows together only people the
//! world has together, and no false "met at" claim names a place where its two people were
//! ever together.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use longforge_datasets::{Context, Sample};
use longforge_generators::nocha::{book_of, claim_holds, Claim, Made, NoCha};
use longforge_generators::{Family, Inputs};
use proptest::prelude::*;
use regex::Regex;
use serde_json::{json, Value};

fn generate(params: Value) -> (Value, Vec<Sample>, Vec<Context>) {
    let resolved = NoCha.resolve(params, &Inputs::default()).unwrap();
    let g = NoCha
        .generate(&resolved, &Inputs::default(), &mut |_, _| {})
        .unwrap();
    (resolved, g.samples, g.contexts)
}

/// The text of `a` and `b` with their common start and end removed.
fn difference<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    let start = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..], &b[start..]);
    let end = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (&a[..a.len() - end], &b[..b.len() - end])
}

/// Every filler paragraph names only people present in its scene, and everyone present is,
/// per the world's state at that moment, alive and at the scene's place.
fn check_scenes(id: &str, made: &Made) {
    let world = &made.world;
    let states = world.states();
    let chars: Vec<char> = made.text().chars().collect();
    assert!(!made.book.scenes.is_empty(), "{id}: no filler");
    for scene in &made.book.scenes {
        let text: String = chars[scene.span.start..scene.span.end].iter().collect();
        let state = &states[scene.after.map_or(0, |e| e + 1)];
        for (p, person) in world.people.iter().enumerate() {
            let named = text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == person.given);
            assert!(
                !named || scene.present.contains(&p),
                "{id}: {} is shown but not present: {text}",
                person.given
            );
        }
        for &p in &scene.present {
            assert!(
                state.alive[p] && state.location[p] == scene.place,
                "{id}: {} shown at {} where the world does not have them: {text}",
                world.people[p].given,
                world.places[scene.place].name
            );
        }
    }
}

/// A false claim that two people met at a place: at no moment of the story were both alive and
/// there (nor shown there together in filler); with a person swapped, not anywhere.
fn check_false_meeting(id: &str, made: &Made, claim: &Value, slot: &str) {
    let (a, b, place) = match claim["shape"].as_str() {
        Some("met" | "met_then_married") => (
            claim["a"].as_u64().unwrap() as usize,
            claim["b"].as_u64().unwrap() as usize,
            claim["place"].as_u64().unwrap() as usize,
        ),
        _ => return,
    };
    let anywhere = slot != "place";
    for (i, state) in made.world.states().iter().enumerate() {
        let together = state.alive[a] && state.alive[b] && state.location[a] == state.location[b];
        assert!(
            !(together && (anywhere || state.location[a] == place)),
            "{id}: {} and {} are together at {} at moment {i}, yet \"met\" there is false",
            made.world.people[a].given,
            made.world.people[b].given,
            made.world.places[state.location[a]].name
        );
    }
    for scene in &made.book.scenes {
        assert!(
            !(scene.present.contains(&a)
                && scene.present.contains(&b)
                && (anywhere || scene.place == place)),
            "{id}: the book shows them together at {}",
            made.world.places[scene.place].name
        );
    }
}

/// Whether a thing's name is a plural noun ("ivory chessmen"; "book of psalms" is a book, and
/// "compass", "atlas" end in -s but are one thing).
fn plural(thing: &str) -> bool {
    let head = thing.split(" of ").next().unwrap_or(thing);
    let noun = head.rsplit(' ').next().unwrap_or(head);
    noun.ends_with("men") || (noun.ends_with('s') && !noun.ends_with("ss") && !noun.ends_with("as"))
}

/// The sentences of a paragraph: each ends at `.`, `?` or `!`, and a closing quote, before a
/// space.
fn sentences(paragraph: &str) -> Vec<&str> {
    static ENDS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"[.?!]"?( |$)"#).unwrap());
    let mut out = Vec::new();
    let mut start = 0;
    for m in ENDS.find_iter(paragraph) {
        out.push(paragraph[start..m.end()].trim());
        start = m.end();
    }
    out
}

/// Patterns of bad prose, compiled once.
struct Glitches {
    spoke_first: Regex,
    first_line: Regex,
    it: Regex,
    count: Regex,
    stop_before_tag: Regex,
}

static GLITCHES: LazyLock<Glitches> = LazyLock::new(|| {
    Glitches {
    spoke_first: Regex::new(r"It was (\w+) who spoke first").unwrap(),
    first_line: Regex::new(r#""[^"]*" (?:(\w+) (?:said|asked|admitted)|(?:said|asked) (\w+))"#)
        .unwrap(),
    it: Regex::new(r"\bit\b").unwrap(),
    // Counts agree with their nouns: "exactly one gift", "exactly two gifts".
    count: Regex::new(
        r"\bexactly one\b[^.]*\b(gifts|things|times)\b|\bexactly (two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+) (gift|thing|time)\b",
    )
    .unwrap(),
    // `"...mind." Elias said`: a line before its speech tag ends in a comma.
    stop_before_tag: Regex::new(
        r#"\." (?:[a-z]|(?:[A-Z][\w']+ ){1,2}(?:said|asked|admitted)[.,]|the [\w-]+ (?:said|asked)[.,])"#,
    )
    .unwrap(),
}
});

/// The prose reads as English: whoever is said to speak first speaks the first line; no phrase
/// is joined to itself by "and"; no sentence comes twice in a paragraph; a plural thing takes
/// "were" and "them"; a line of dialogue before its speech tag ends in a comma, not a stop.
/// `things` are the world's things, with whether each is plural.
fn check_prose(id: &str, paragraph: &str, things: &[(&str, bool)]) {
    let g = &*GLITCHES;
    if let Some(m) = g.spoke_first.captures(paragraph) {
        let rest = &paragraph[m.get(0).unwrap().end()..];
        let speaker = g
            .first_line
            .captures(rest)
            .and_then(|c| c.get(1).or(c.get(2)))
            .map(|s| s.as_str());
        assert_eq!(speaker, Some(&m[1]), "{id}: {paragraph}");
    }
    let words: Vec<String> = paragraph
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for (i, w) in words.iter().enumerate() {
        if w != "and" {
            continue;
        }
        for n in 1..=8 {
            if n > i || i + 1 + n > words.len() {
                break;
            }
            let (before, after) = (&words[i - n..i], &words[i + 1..i + 1 + n]);
            assert!(
                before != after || before == ["over"],
                "{id}: `{} and {}` in {paragraph}",
                before.join(" "),
                after.join(" ")
            );
        }
    }
    let mut seen = HashSet::new();
    for s in sentences(paragraph) {
        if s.split(' ').count() > 3 {
            assert!(seen.insert(s), "{id}: `{s}` twice in {paragraph}");
        }
    }
    // The narration says `it` only of a thing (`It was at ...` opens a sentence): not in a
    // sentence naming a plural thing, nor anywhere in a paragraph whose only thing is plural.
    let named = things.iter().filter(|t| paragraph.contains(t.0)).count();
    for &(thing, _) in things.iter().filter(|t| t.1 && paragraph.contains(t.0)) {
        for verb in ["was", "is", "has"] {
            assert!(
                !paragraph.contains(&format!("{thing} {verb} ")),
                "{id}: {paragraph}"
            );
        }
        for s in sentences(paragraph) {
            assert!(
                !((named == 1 || s.contains(thing)) && g.it.is_match(s)),
                "{id}: `it` for the plural {thing}: {paragraph}"
            );
        }
    }
    assert!(!g.count.is_match(paragraph), "{id}: {paragraph}");
    assert!(
        !g.stop_before_tag.is_match(paragraph),
        "{id}: a full stop before a speech tag: {paragraph}"
    );
}

/// A claim as the fact it states, worked out here from `meta.claim` apart from the generator's
/// own: the two people of a meeting or marriage in order, "B after A" as "A before B".
fn fact(claim: &Value) -> Value {
    let mut c = claim.clone();
    let sort_two = |c: &mut Value| {
        if let (Some(a), Some(b)) = (c["a"].as_u64(), c["b"].as_u64()) {
            c["a"] = json!(a.min(b));
            c["b"] = json!(a.max(b));
        }
    };
    match c["shape"].as_str() {
        Some("met" | "married" | "met_then_married") => sort_two(&mut c),
        Some("order") => {
            sort_two(&mut c["first"]);
            sort_two(&mut c["second"]);
            if c["before"] == json!(false) {
                let first = c["first"].take();
                c["first"] = c["second"].take();
                c["second"] = first;
                c["before"] = json!(true);
            }
        }
        _ => {}
    }
    c
}

fn check_dataset(resolved: &Value, samples: &[Sample], contexts: &[Context]) {
    let books: BTreeMap<&str, &Context> = contexts.iter().map(|c| (c.id.as_str(), c)).collect();
    // Each book's world rebuilt once from the parameters and seed.
    let mut made: BTreeMap<&str, std::sync::Arc<Made>> = BTreeMap::new();
    for id in books.keys() {
        let mut parts = id.split('/').skip(1);
        let length = parts.next().unwrap();
        let index: usize = parts.next().unwrap()[1..].parse().unwrap();
        let book = book_of(resolved, &Inputs::default(), length, index).unwrap();
        // Every pair proved again: the false claim holds not even on a loose reading.
        book.check_pairs().unwrap();
        check_scenes(id, &book);
        let things: Vec<(&str, bool)> = book
            .world
            .things
            .iter()
            .map(|t| (t.name, plural(t.name)))
            .collect();
        for paragraph in book.text().split("\n\n") {
            check_prose(id, paragraph, &things);
        }
        for s in samples
            .iter()
            .filter(|s| s.context_id.as_deref() == Some(id))
        {
            check_prose(&s.id, &s.question, &things);
        }
        made.insert(id, book);
    }
    let cl100k = tiktoken_rs::cl100k_base().unwrap();
    for c in contexts {
        let target = samples
            .iter()
            .find(|s| s.context_id.as_deref() == Some(&c.id))
            .and_then(|s| s.meta["target_tokens"].as_u64())
            .unwrap() as usize;
        let tokens = cl100k.encode_ordinary(&c.text).len();
        assert_eq!(tokens as u64, c.tokens, "{}", c.id);
        assert!(
            tokens.abs_diff(target) <= (target / 100).max(32),
            "{}: {tokens} tokens for {target}",
            c.id
        );
        let mut seen = HashSet::new();
        for p in c.text.split("\n\n") {
            assert!(seen.insert(p), "{} repeats a paragraph: {p}", c.id);
        }
    }
    let mut pairs: BTreeMap<&str, Vec<&Sample>> = BTreeMap::new();
    for s in samples {
        pairs
            .entry(s.meta["pair_id"].as_str().unwrap())
            .or_default()
            .push(s);
        // Truth re-derived from the world rebuilt from the parameters and seed.
        let book_id = s.context_id.as_deref().unwrap();
        let made = &made[book_id];
        let claim: Claim = serde_json::from_value(s.meta["claim"].clone()).unwrap();
        let holds = claim_holds(made, &claim).unwrap();
        if !holds {
            let slot = s.meta["swap"]["slot"].as_str().unwrap();
            check_false_meeting(&s.id, made, &s.meta["claim"], slot);
        }
        assert_eq!(json!(holds), s.reference.value, "{}: {}", s.id, s.question);
        assert_eq!(json!(holds), s.meta["truth"]);
        assert_eq!(made.text(), books[book_id].text);
        // Evidence spans hold their text, in Unicode scalar values.
        let chars: Vec<char> = books[book_id].text.chars().collect();
        let evidence = s.meta["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty(), "{}", s.id);
        for e in evidence {
            let (start, end) = (
                e["char_start"].as_u64().unwrap() as usize,
                e["char_end"].as_u64().unwrap() as usize,
            );
            let text: String = chars[start..end].iter().collect();
            assert_eq!(text, e["text"].as_str().unwrap(), "{}", s.id);
            assert!(!text.is_empty());
        }
        assert!(s
            .prompt
            .contains(&format!("<statement>{}</statement>", s.question)));
    }
    // The pairs of a book state distinct facts: no claim, true or false, is in two pairs,
    // however it is worded.
    let mut facts: BTreeMap<(&str, String), &str> = BTreeMap::new();
    for (pair, claims) in &pairs {
        for c in claims {
            let key = (
                c.context_id.as_deref().unwrap(),
                fact(&c.meta["claim"]).to_string(),
            );
            if let Some(other) = facts.insert(key, pair) {
                assert_eq!(
                    other, *pair,
                    "{pair} and {other} state one fact: {}",
                    c.question
                );
            }
        }
    }
    for (pair, claims) in pairs {
        assert_eq!(claims.len(), 2, "{pair}");
        let (t, f) = if claims[0].meta["truth"] == json!(true) {
            (claims[0], claims[1])
        } else {
            (claims[1], claims[0])
        };
        assert_eq!(
            (t.meta["truth"].clone(), f.meta["truth"].clone()),
            (json!(true), json!(false))
        );
        assert_eq!(
            t.meta["evidence"], f.meta["evidence"],
            "{pair}: one evidence a pair"
        );
        assert_eq!(t.meta["kind"], f.meta["kind"]);
        // Exactly the swapped detail differs, and it is written where the claims differ.
        let swap = &t.meta["swap"];
        let (true_detail, false_detail) = (
            swap["true"].as_str().unwrap(),
            swap["false"].as_str().unwrap(),
        );
        assert_ne!(true_detail, false_detail);
        let (dt, df) = difference(&t.question, &f.question);
        assert!(!dt.is_empty() || !df.is_empty(), "{pair}: same claims");
        assert!(
            true_detail.contains(dt) && false_detail.contains(df),
            "{pair}: `{}` / `{}`",
            t.question,
            f.question
        );
        // Writing the false detail over one occurrence of the true one gives the false claim
        // (a detail may occur twice: a gift given back to its giver).
        let swapped = t.question.match_indices(true_detail).any(|(at, _)| {
            let mut text = t.question.clone();
            text.replace_range(at..at + true_detail.len(), false_detail);
            text == f.question
        });
        assert!(swapped, "{pair}: `{}` / `{}`", t.question, f.question);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn pairs_differ_in_one_detail_and_the_world_decides_them(seed in 0u64..1_000_000) {
        let (resolved, samples, contexts) = generate(json!({
            "lengths": ["8k", "20k"], "count": 1, "pairs": 14, "seed": seed
        }));
        prop_assert_eq!(samples.len(), 2 * 14 * 2);
        prop_assert_eq!(contexts.len(), 2);
        check_dataset(&resolved, &samples, &contexts);
    }
}

#[test]
fn a_long_book_holds_every_kind_spread_across_it() {
    let (resolved, samples, contexts) = generate(json!({
        "lengths": ["64k"], "count": 1, "pairs": 30, "seed": 5
    }));
    check_dataset(&resolved, &samples, &contexts);
    let kinds: HashSet<&str> = samples
        .iter()
        .map(|s| s.meta["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    // Consequence and order claims rest on events far apart in the book.
    let len = contexts[0].text.chars().count() as f64;
    let widths: Vec<f64> = samples
        .iter()
        .filter(|s| matches!(s.meta["kind"].as_str(), Some("order" | "consequence")))
        .map(|s| {
            let ev = s.meta["evidence"].as_array().unwrap();
            let first = ev.first().unwrap()["char_start"].as_f64().unwrap();
            let last = ev.last().unwrap()["char_end"].as_f64().unwrap();
            (last - first) / len
        })
        .collect();
    let mean = widths.iter().sum::<f64>() / widths.len() as f64;
    assert!(
        mean > 0.15,
        "evidence spans {mean:.2} of the book on average"
    );
    // The claims of a pair are not always in the same order in the file.
    let true_first = samples
        .chunks(2)
        .filter(|p| p[0].meta["truth"] == json!(true))
        .count();
    assert!(true_first > 3 && true_first < 27, "{true_first} of 30");
}

/// A new user's trial: `16k/b0/p0` claimed falsely that two people met at a place one lived at
/// and the other travelled to, where the book shows them walking together.
#[test]
fn the_first_trial_makes_no_meeting_false_that_the_book_shows() {
    let (resolved, samples, contexts) = generate(json!({
        "lengths": ["4k", "16k", "64k"], "count": 4, "pairs": 15, "seed": 11
    }));
    check_dataset(&resolved, &samples, &contexts);
}

/// The second trial: `8k/b0` held "A gave the veil to B before A married B" and "A married B
/// after A gave the veil to B" as two pairs.
#[test]
fn the_second_trial_holds_no_pair_twice() {
    let (resolved, samples, contexts) = generate(json!({
        "lengths": ["8k", "32k", "128k"], "count": 1, "pairs": 20, "seed": 7
    }));
    check_dataset(&resolved, &samples, &contexts);
}

#[test]
fn the_same_seed_gives_the_same_book_and_another_seed_another() {
    let params = json!({"lengths": ["8k"], "pairs": 4, "seed": 3});
    let (_, a, ca) = generate(params.clone());
    let (_, b, cb) = generate(params);
    assert_eq!(a, b);
    assert_eq!(ca, cb);
    let (_, _, cc) = generate(json!({"lengths": ["8k"], "pairs": 4, "seed": 4}));
    assert_ne!(ca[0].text, cc[0].text);
}

#[test]
fn too_many_pairs_or_too_short_a_book_name_their_flag() {
    let err = |p: Value| {
        let resolved = NoCha.resolve(p, &Inputs::default()).unwrap();
        NoCha
            .generate(&resolved, &Inputs::default(), &mut |_, _| {})
            .err()
            .unwrap()
            .to_string()
    };
    let e = err(json!({"lengths": ["4k"], "pairs": 400}));
    assert!(
        e.starts_with("--pairs") && e.contains("distinct claim pairs"),
        "{e}"
    );
}

/// A long book's paragraphs counted one by one sum to about a percent more or less than the
/// book counted whole: more than one paragraph can correct at 128K tokens. Every book must
/// still land within tolerance of its length (this once failed with `NoConvergence`).
#[test]
fn long_books_land_on_their_length() {
    let (resolved, samples, contexts) = generate(json!({
        "lengths": ["128k"], "count": 6, "pairs": 2, "seed": 0
    }));
    assert_eq!(contexts.len(), 6);
    check_dataset(&resolved, &samples, &contexts);
}
