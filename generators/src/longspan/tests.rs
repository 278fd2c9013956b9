//! The world questions checked against the world itself: references re-derived by replaying the
//! timeline state by state (not through the code that wrote them), evidence that is the book's
//! text where it says, and the spread and wording rules every question keeps.

use longforge_datasets::{mentions, TokenCounter, TokenizerSpec};

use super::questions::Kind;
use super::*;
use crate::nocha::world::{apply, Happening};

fn counter() -> TokenCounter {
    TokenCounter::load(&TokenizerSpec::Cl100kBase).expect("cl100k_base is embedded")
}

fn book(seed: u64, tokens: usize, questions: usize) -> Made {
    make_book(seed, tokens, questions, 0.2, &counter()).expect("the book supports its questions")
}

/// Per thing, its holders in time order; per person, the places they went to in time order;
/// both read off the state after each event.
fn replay(world: &World) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut state = world.initial_state();
    let mut holders: Vec<Vec<usize>> = state.holder.iter().map(|&h| vec![h]).collect();
    let mut went: Vec<Vec<usize>> = vec![Vec::new(); world.people.len()];
    for event in &world.events {
        let before = state.clone();
        apply(&mut state, event);
        for (t, list) in holders.iter_mut().enumerate() {
            if state.holder[t] != before.holder[t] {
                list.push(state.holder[t]);
            }
        }
        if let Happening::Journey { who, .. } = event.what {
            went[who].push(state.location[who]);
        }
    }
    (holders, went)
}

fn first_seen<T: PartialEq + Copy>(items: &[T]) -> Vec<T> {
    let mut out = Vec::new();
    for &i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

#[test]
fn references_are_re_derived_from_the_replayed_world() {
    let mut kinds = std::collections::BTreeSet::new();
    for seed in 0..6 {
        let made = book(seed, 24_000, 20);
        let world = &made.world;
        let (holders, went) = replay(world);
        let name = |p: usize| world.people[p].full_name();
        for asked in &made.questions {
            let q = &asked.question;
            kinds.insert(q.kind);
            let facts: Vec<&str> = q.answer.keys.iter().map(|k| k.fact.as_str()).collect();
            match (q.kind, q.subject) {
                (Kind::LastHolder, questions::Subject::Thing(t)) => {
                    let last = *holders[t].last().unwrap();
                    assert_eq!(facts, [name(last)], "{}", q.text);
                    assert_eq!(world.final_state().holder[t], last);
                }
                (Kind::Trail, questions::Subject::Thing(t)) => {
                    let want: Vec<String> = first_seen(&holders[t]).into_iter().map(name).collect();
                    assert_eq!(facts, want, "{}", q.text);
                    assert!(holders[t].len() >= 3, "changed hands at least twice");
                }
                (Kind::Travels, questions::Subject::Travels(p)) => {
                    let want: Vec<&str> = first_seen(&went[p])
                        .into_iter()
                        .map(|place| world.places[place].name)
                        .collect();
                    assert_eq!(facts, want, "{}", q.text);
                }
                (Kind::Relation, questions::Subject::Pair(a, b)) => {
                    let together = world
                        .events
                        .iter()
                        .filter(|e| {
                            let people = e.what.people();
                            people.contains(&a) && people.contains(&b)
                        })
                        .count();
                    assert_eq!(q.events.len(), together, "{}", q.text);
                }
                (Kind::Encounters, questions::Subject::Encounters(p)) => {
                    for &e in &q.events {
                        assert!(
                            matches!(world.events[e].what, Happening::Meeting { a, b } if a == p || b == p)
                        );
                    }
                }
                (Kind::Aftermath, _) => {
                    assert!(q.events.windows(2).all(|w| w[0] < w[1]), "time order");
                }
                (kind, subject) => panic!("{kind:?} about {subject:?}"),
            }
        }
    }
    assert_eq!(
        kinds.len(),
        Kind::ALL.len(),
        "every kind is asked: {kinds:?}"
    );
}

#[test]
fn every_question_rests_on_distant_evidence_that_is_the_books_text() {
    for seed in [3, 17] {
        let made = book(seed, 16_000, 20);
        let chars: Vec<char> = made.book.text.chars().collect();
        let mut subjects = Vec::new();
        for asked in &made.questions {
            let q = &asked.question;
            let ev = &asked.evidence;
            assert!(ev.len() >= 2, "{}: {} spans", q.text, ev.len());
            let spread = ev.last().unwrap().char_start - ev[0].char_start;
            assert!(spread * 5 > chars.len(), "{}: spread {spread}", q.text);
            for e in ev {
                let text: String = chars[e.char_start..e.char_end].iter().collect();
                assert_eq!(text, e.text);
            }
            for key in &q.answer.keys {
                assert!(
                    key.aliases.iter().all(|a| !mentions(&q.text, a)),
                    "{} names its own key {}",
                    q.text,
                    key.fact
                );
                assert!(
                    key.aliases.iter().any(|a| mentions(&q.answer.text, a)),
                    "the reference names {}",
                    key.fact
                );
            }
            assert!(!subjects.contains(&q.subject), "one question per subject");
            subjects.push(q.subject);
        }
    }
}

#[test]
fn a_book_too_short_for_its_questions_says_how_many_it_holds() {
    let err = make_book(1, 8_000, 200, 0.2, &counter())
        .err()
        .expect("200 questions do not fit an 8k book")
        .to_string();
    assert!(err.starts_with("--questions"), "{err}");
    assert!(err.contains("supports only"), "{err}");
}
