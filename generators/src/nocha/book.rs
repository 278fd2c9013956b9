//! A world written out as a book of an exact length in tokens.
//!
//! Each chapter opens with its heading and a description of where it begins, introduces the
//! people who first appear in it, then tells its events in order, each followed by filler set
//! at that moment of the story ([`super::scenery`]). The filler is spread evenly over the whole
//! book, so the events a claim needs sit far apart in a long book.
//!
//! Length: the skeleton (headings, introductions, events) is counted first; filler then fills
//! each slot up to its share of what remains, paragraph by paragraph, counted one at a time.
//! The joined text is counted once exactly and corrected (paragraphs removed or added, as many
//! as the gap needs, the last chosen by its length) until it lies within [`tolerance`] of the
//! target: a few exact counts of the whole book in all. No paragraph appears twice in a book.

use std::collections::HashSet;

use longforge_datasets::{SeededRng, TokenCounter};

use super::narrate::{event_paragraph, heading, introduction};
use super::scenery::{self, Scene};
use super::world::{apply, EventId, PersonId, World};
use crate::haystack::tolerance;
use crate::GenerateError;

/// A stretch of the book in Unicode scalar values, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
pub struct Book {
    pub text: String,
    /// Exact, in the counter's tokens.
    pub tokens: usize,
    /// Per event: the paragraph that tells it.
    pub events: Vec<Span>,
    /// Per event: the people its paragraph never names in full.
    pub indirect: Vec<Vec<PersonId>>,
    /// Per person: their introduction.
    pub intros: Vec<Span>,
    /// Every filler paragraph, in book order, with the moment of the story it is set at.
    pub scenes: Vec<SceneSpan>,
    pub paragraphs: usize,
}

/// A filler paragraph and the moment it is set at: the people it may show are those `present`,
/// all of them alive and at `place` in the world's state right after event `after` (or at the
/// opening of the story, for `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SceneSpan {
    pub span: Span,
    pub place: usize,
    pub after: Option<EventId>,
    pub present: Vec<PersonId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Heading,
    Intro(PersonId),
    Event(EventId),
    /// Filler of the slot of that index.
    Filler(usize),
}

struct Para {
    text: String,
    part: Part,
    tokens: usize,
}

/// Where filler goes: after a chapter's heading, or after one of its events.
struct Slot {
    /// Index in the paragraph list of the paragraph the slot's filler follows.
    after: usize,
    /// The last event told before it (`None`: none yet).
    moment: Option<EventId>,
    place: usize,
    season: usize,
    present: Vec<PersonId>,
}

const GAP: &str = "\n\n";
/// The share of filler a slot with nobody present gets (a chapter's opening, or after a death
/// with no one else about), against 1 for a slot after an event.
const OPENING_SHARE: f64 = 0.3;
/// Correction rounds before giving up (each one exact count of the book).
const ROUNDS: usize = 16;
/// How close to the target a correction round aims, in tokens (a short sentence): the
/// tolerance is the limit, not the aim.
const AIM: usize = 40;

/// Writes `world` as a book of `target` tokens (within [`tolerance`]) counted by `counter`.
pub fn write(
    world: &World,
    rng: &mut SeededRng,
    target: usize,
    counter: &TokenCounter,
) -> Result<Book, GenerateError> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut paras: Vec<Para> = Vec::new();
    let mut slots: Vec<Slot> = Vec::new();
    let first_seen = first_chapters(world);
    let mut state = world.initial_state();
    let mut introduced = vec![false; world.people.len()];
    let years = if world.chapters >= 16 { 2 } else { 1 };
    let mut next_event: usize = 0;
    let count = |text: &str| counter.count(text).map_err(GenerateError::from);
    for chapter in 1..=world.chapters {
        let season = (chapter - 1) * 4 * years / world.chapters;
        let moment = next_event.checked_sub(1);
        let events: Vec<EventId> = (next_event..world.events.len())
            .take_while(|&i| world.events[i].chapter == chapter)
            .collect();
        next_event += events.len();
        let text = heading(chapter);
        paras.push(Para {
            tokens: count(&text)?,
            text,
            part: Part::Heading,
        });
        let opening = events
            .first()
            .map_or(world.people[0].home, |&i| world.events[i].place);
        slots.push(Slot {
            after: paras.len() - 1,
            moment,
            place: opening,
            season,
            present: Vec::new(),
        });
        for p in 0..world.people.len() {
            if first_seen[p] == chapter && !introduced[p] {
                introduced[p] = true;
                let text = unique(&mut seen, || introduction(world, p, rng))?;
                paras.push(Para {
                    tokens: count(&text)?,
                    text,
                    part: Part::Intro(p),
                });
            }
        }
        for i in events {
            let text = unique(&mut seen, || event_paragraph(world, i, rng))?;
            paras.push(Para {
                tokens: count(&text)?,
                text,
                part: Part::Event(i),
            });
            apply(&mut state, &world.events[i]);
            let place = world.events[i].place;
            // Those alive and here now, the event's own people first, at most three.
            let mut present: Vec<PersonId> = world.events[i]
                .what
                .people()
                .into_iter()
                .filter(|&p| state.alive[p] && state.location[p] == place)
                .collect();
            let others: Vec<PersonId> = (0..world.people.len())
                .filter(|&p| introduced[p] && state.alive[p] && state.location[p] == place)
                .collect();
            for p in others {
                if present.len() < 3 && !present.contains(&p) {
                    present.push(p);
                }
            }
            slots.push(Slot {
                after: paras.len() - 1,
                moment: Some(i),
                place,
                season,
                present,
            });
        }
    }
    let gap = count(GAP)?;
    let skeleton: usize = paras.iter().map(|p| p.tokens + gap).sum();
    let tol = tolerance(target);
    if skeleton + tol > target {
        return Err(GenerateError::TooShort {
            target,
            needed: skeleton,
        });
    }
    // Filler: slot k is filled until the filler so far reaches its share of the budget, up to
    // and including slot k. A chapter's opening (scenery before anyone appears) takes a
    // smaller share than the stretch after an event.
    let budget = (target - skeleton) as f64;
    let mut fillers: Vec<Vec<Para>> = (0..slots.len()).map(|_| Vec::new()).collect();
    let weight = |s: &Slot| {
        if s.present.is_empty() {
            OPENING_SHARE
        } else {
            1.0
        }
    };
    let total: f64 = slots.iter().map(weight).sum();
    let mut filled = 0.0;
    let mut share = 0.0;
    for (k, slot) in slots.iter().enumerate() {
        share += weight(slot);
        let goal = budget * share / total;
        while filled < goal - 40.0 {
            let text = unique(&mut seen, || filler(world, slot, rng))?;
            let tokens = count(&text)?;
            filled += (tokens + gap) as f64;
            fillers[k].push(Para {
                text,
                part: Part::Filler(k),
                tokens,
            });
        }
    }
    // Correct on exact counts of the whole book.
    let mut round = 0;
    loop {
        let text = join(&paras, &slots, &fillers);
        let tokens = count(&text)?;
        if tokens.abs_diff(target) <= tol {
            return Ok(assemble(world, text, tokens, &paras, &slots, &fillers));
        }
        round += 1;
        if round > ROUNDS {
            return Err(GenerateError::NoConvergence {
                target,
                got: tokens,
            });
        }
        // The parts' counts sum to more or less than the joined book's (tokens merge across
        // paragraph breaks), by about a percent: far more than one paragraph in a long book.
        // So a round moves as many paragraphs as the gap needs, the last one chosen to fit.
        if tokens > target {
            let mut left = tokens - target;
            while left > AIM.min(tol / 2) {
                // The filler paragraph whose length best matches what is left, latest first.
                let best = fillers
                    .iter()
                    .enumerate()
                    .flat_map(|(k, f)| f.iter().enumerate().map(move |(j, p)| (k, j, p.tokens)))
                    .min_by_key(|&(k, j, t)| ((t + gap).abs_diff(left), usize::MAX - k, j));
                let Some((k, j, t)) = best else {
                    return Err(GenerateError::TooShort {
                        target,
                        needed: tokens,
                    });
                };
                fillers[k].remove(j);
                left = left.saturating_sub(t + gap);
            }
        } else {
            let mut left = target - tokens;
            while left > AIM.min(tol / 2) {
                // To the slot with the least filler: while far under, the first new paragraph
                // drawn; near the end, the one of a few drawn closest to what is left.
                let k = (0..slots.len())
                    .min_by_key(|&k| (fillers[k].len(), usize::MAX - k))
                    .unwrap_or(0);
                let mut best: Option<Para> = None;
                for _ in 0..12 {
                    let text = filler(world, &slots[k], rng);
                    if seen.contains(&text) {
                        continue;
                    }
                    let tokens = count(&text)?;
                    let better = best.as_ref().is_none_or(|b| {
                        (tokens + gap).abs_diff(left) < (b.tokens + gap).abs_diff(left)
                    });
                    if better {
                        best = Some(Para {
                            text,
                            part: Part::Filler(k),
                            tokens,
                        });
                    }
                    if left > 400 {
                        break;
                    }
                }
                let Some(p) = best else { break };
                seen.insert(p.text.clone());
                left = left.saturating_sub(p.tokens + gap);
                fillers[k].push(p);
            }
        }
    }
}

/// The chapter in which each person first takes part in an event (chapter 1 for those who
/// never do), where the book introduces them.
fn first_chapters(world: &World) -> Vec<usize> {
    let mut first = vec![1; world.people.len()];
    let mut seen = vec![false; world.people.len()];
    for e in &world.events {
        for p in e.what.people() {
            if !seen[p] {
                seen[p] = true;
                first[p] = e.chapter;
            }
        }
    }
    first
}

fn filler(world: &World, slot: &Slot, rng: &mut SeededRng) -> String {
    let scene = Scene {
        place: slot.place,
        season: slot.season,
        present: &slot.present,
    };
    scenery::paragraph(world, &scene, rng)
}

/// A paragraph from `make` that the book does not hold yet (drawn again if it does).
fn unique(
    seen: &mut HashSet<String>,
    mut make: impl FnMut() -> String,
) -> Result<String, GenerateError> {
    for _ in 0..64 {
        let text = make();
        if seen.insert(text.clone()) {
            return Ok(text);
        }
    }
    Err(GenerateError::param(
        "lengths",
        "the story's paragraphs ran out of variety (this is a bug; please report the seed)",
    ))
}

/// The book's paragraphs in order: the skeleton, each slot's filler after its paragraph.
fn ordered<'a>(paras: &'a [Para], slots: &[Slot], fillers: &'a [Vec<Para>]) -> Vec<&'a Para> {
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); paras.len()];
    for (k, s) in slots.iter().enumerate() {
        after[s.after].push(k);
    }
    let mut out = Vec::with_capacity(paras.len() + fillers.iter().map(Vec::len).sum::<usize>());
    for (i, p) in paras.iter().enumerate() {
        out.push(p);
        for &k in &after[i] {
            out.extend(fillers[k].iter());
        }
    }
    out
}

fn join(paras: &[Para], slots: &[Slot], fillers: &[Vec<Para>]) -> String {
    let all = ordered(paras, slots, fillers);
    let mut text = String::with_capacity(all.iter().map(|p| p.text.len() + 2).sum());
    for (i, p) in all.iter().enumerate() {
        if i > 0 {
            text.push_str(GAP);
        }
        text.push_str(&p.text);
    }
    text
}

fn assemble(
    world: &World,
    text: String,
    tokens: usize,
    paras: &[Para],
    slots: &[Slot],
    fillers: &[Vec<Para>],
) -> Book {
    let all = ordered(paras, slots, fillers);
    let mut events = vec![Span { start: 0, end: 0 }; world.events.len()];
    let mut intros = vec![Span { start: 0, end: 0 }; world.people.len()];
    let mut scenes = Vec::new();
    let mut at = 0;
    for (i, p) in all.iter().enumerate() {
        if i > 0 {
            at += GAP.len();
        }
        let span = Span {
            start: at,
            end: at + p.text.chars().count(),
        };
        match p.part {
            Part::Event(e) => events[e] = span,
            Part::Intro(person) => intros[person] = span,
            Part::Filler(k) => scenes.push(SceneSpan {
                span,
                place: slots[k].place,
                after: slots[k].moment,
                present: slots[k].present.clone(),
            }),
            Part::Heading => {}
        }
        at = span.end;
    }
    let mut indirect = vec![Vec::new(); world.events.len()];
    for p in paras {
        if let Part::Event(e) = p.part {
            indirect[e] = narrated_indirect(world, e, &p.text);
        }
    }
    Book {
        text,
        tokens,
        events,
        indirect,
        intros,
        scenes,
        paragraphs: all.len(),
    }
}

/// The people of event `e` whose full name its paragraph does not hold.
fn narrated_indirect(world: &World, e: EventId, text: &str) -> Vec<PersonId> {
    let mut people = world.events[e].what.people();
    if let super::world::Happening::Inheritance { from, .. } = world.events[e].what {
        people.push(from);
    }
    people.retain(|&p| !text.contains(&world.people[p].full_name()));
    people.sort_unstable();
    people.dedup();
    people
}
