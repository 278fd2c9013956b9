//! Claim pairs: a true and a false claim of one shape that differ in exactly one detail,
//! swapped for another of the same kind that exists in the world (a person, a place, a thing,
//! a count, or "before" for "after"). The replacement is preferably one a careless reader could
//! believe: someone who was about at that point of the story, a place the people have been.
//!
//! Every pair is checked as it is made ([`check`]): the true claim holds, the false one does not
//! hold even loosely, and the two texts differ only where the swapped detail is written.

use std::collections::BTreeSet;

use longforge_datasets::SeededRng;
use serde_json::{json, Value};

use super::claims::{
    describe, gifts_count, gifts_given, journeys_to, times, transfer, Claim, Deed, Kind, Undecided,
};
use super::world::{EventId, Happening, PersonId, World};

/// The detail a pair's claims differ in, as each claim writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swap {
    pub slot: &'static str,
    pub true_text: String,
    pub false_text: String,
}

#[derive(Debug, Clone)]
pub struct ClaimPair {
    pub kind: Kind,
    pub true_claim: Claim,
    pub false_claim: Claim,
    pub swap: Swap,
    /// The events that decide the pair, in time order.
    pub events: Vec<EventId>,
    /// People whose introduction decides it too (where they lived, what they owned first).
    pub intros: Vec<PersonId>,
    /// Facts about the world's end state that decide it, in words.
    pub state: Vec<String>,
}

impl ClaimPair {
    /// `meta.facts`: each deciding event (index, chapter, the event as data and in words),
    /// then each deciding fact of the end state.
    pub fn facts(&self, world: &World) -> Value {
        let mut facts: Vec<Value> = self
            .events
            .iter()
            .map(|&i| {
                json!({
                    "event": i,
                    "chapter": world.events[i].chapter,
                    "what": world.events[i].what,
                    "text": describe(world, i),
                })
            })
            .collect();
        facts.extend(
            self.state
                .iter()
                .map(|s| json!({"state": "end", "text": s})),
        );
        Value::Array(facts)
    }
}

/// The book holds fewer distinct pairs than asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooFewPairs {
    pub made: usize,
}

/// Makes `n` distinct pairs, kinds in turn (local, consequence, end state, counting, order),
/// a kind the world cannot supply giving way to the next. Distinct: no two pairs share a claim,
/// true or false, as the fact it states ([`Claim::canonical`]), so no pair is another
/// reworded ("A before B" against "B after A").
pub fn make_pairs(
    world: &World,
    rng: &mut SeededRng,
    n: usize,
) -> Result<Vec<ClaimPair>, TooFewPairs> {
    let mut pairs: Vec<ClaimPair> = Vec::with_capacity(n);
    let mut used: BTreeSet<Claim> = BTreeSet::new();
    for i in 0..n {
        let mut made = None;
        'kinds: for k in 0..Kind::ALL.len() {
            let kind = Kind::ALL[(i + k) % Kind::ALL.len()];
            for _ in 0..40 {
                let Some(pair) = propose(world, kind, rng) else {
                    continue;
                };
                let (t, f) = (pair.true_claim.canonical(), pair.false_claim.canonical());
                if used.contains(&t) || used.contains(&f) || check(world, &pair).is_err() {
                    continue;
                }
                used.insert(t);
                used.insert(f);
                made = Some(pair);
                break 'kinds;
            }
        }
        match made {
            Some(pair) => pairs.push(pair),
            None => return Err(TooFewPairs { made: pairs.len() }),
        }
    }
    Ok(pairs)
}

/// Proves a pair: the true claim holds, the false one holds not even loosely, and the texts
/// differ only where the swapped detail is written. The error says which failed.
pub fn check(world: &World, pair: &ClaimPair) -> Result<(), String> {
    let undecided = |e: Undecided| e.to_string();
    if !pair.true_claim.holds(world).map_err(undecided)? {
        return Err(format!("true claim fails: {}", pair.true_claim.text(world)));
    }
    if pair
        .false_claim
        .loosely_holds(world, pair.swap.slot)
        .map_err(undecided)?
    {
        return Err(format!(
            "false claim holds: {}",
            pair.false_claim.text(world)
        ));
    }
    if pair.true_claim.kind() != pair.kind || pair.false_claim.kind() != pair.kind {
        return Err("the claims are not of the pair's kind".into());
    }
    let slot = |c: &Claim| c.slot_text(world, pair.swap.slot);
    if slot(&pair.true_claim).as_ref() != Some(&pair.swap.true_text)
        || slot(&pair.false_claim).as_ref() != Some(&pair.swap.false_text)
    {
        return Err(format!(
            "slot `{}` is not the swapped detail",
            pair.swap.slot
        ));
    }
    differ_only_in(
        &pair.true_claim.text(world),
        &pair.false_claim.text(world),
        &pair.swap,
    )
}

/// The two texts are equal but for one stretch, which lies within the swapped detail's text in
/// each.
pub fn differ_only_in(a: &str, b: &str, swap: &Swap) -> Result<(), String> {
    let prefix = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    let suffix = ra
        .chars()
        .rev()
        .zip(rb.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum::<usize>();
    let (ma, mb) = (&ra[..ra.len() - suffix], &rb[..rb.len() - suffix]);
    if ma.is_empty() && mb.is_empty() {
        return Err("the two claims are the same".into());
    }
    // The differing stretch must lie inside an occurrence of the swapped detail, in each text.
    let inside = |text: &str, stretch: &str, detail: &str| {
        text.match_indices(detail)
            .any(|(s, _)| s <= prefix && prefix + stretch.len() <= s + detail.len())
    };
    if inside(a, ma, &swap.true_text) && inside(b, mb, &swap.false_text) {
        Ok(())
    } else {
        Err(format!(
            "`{a}` and `{b}` differ in `{ma}`/`{mb}`, outside `{}`/`{}`",
            swap.true_text, swap.false_text
        ))
    }
}

fn propose(world: &World, kind: Kind, rng: &mut SeededRng) -> Option<ClaimPair> {
    match kind {
        Kind::Local => local(world, rng),
        Kind::Consequence => consequence(world, rng),
        Kind::EndState => end_state(world, rng),
        Kind::Counting => counting(world, rng),
        Kind::Order => order(world, rng),
    }
}

/// A true claim, the detail to swap in it, and the events that decide it.
struct Draft {
    kind: Kind,
    truth: Claim,
    slot: &'static str,
    events: Vec<EventId>,
}

/// A pair from a draft and the replacements to try for its slot: the false claim is the first
/// replacement (near ones first, each side in a shuffled order) that does not loosely hold.
fn swapped(
    world: &World,
    draft: Draft,
    mut options: Vec<(usize, bool)>,
    replace: &dyn Fn(&Claim, usize) -> Option<Claim>,
    rng: &mut SeededRng,
) -> Option<ClaimPair> {
    let Draft {
        kind,
        truth,
        slot,
        events,
    } = draft;
    rng.shuffle(&mut options);
    options.sort_by_key(|o| !o.1);
    let false_claim = options.into_iter().find_map(|(o, _)| {
        let c = replace(&truth, o)?;
        (!c.loosely_holds(world, slot).ok()?).then_some(c)
    })?;
    Some(ClaimPair {
        kind,
        swap: Swap {
            slot,
            true_text: truth.slot_text(world, slot)?,
            false_text: false_claim.slot_text(world, slot)?,
        },
        true_claim: truth,
        false_claim,
        events,
        intros: Vec::new(),
        state: Vec::new(),
    })
}

/// People taking part in events within a chapter of `chapter`: plausible wrong answers.
fn near_people(world: &World, chapter: usize) -> BTreeSet<PersonId> {
    world
        .events
        .iter()
        .filter(|e| e.chapter.abs_diff(chapter) <= 1)
        .flat_map(|e| e.what.people())
        .collect()
}

fn people_options(world: &World, chapter: usize, not: &[PersonId]) -> Vec<(usize, bool)> {
    let near = near_people(world, chapter);
    (0..world.people.len())
        .filter(|p| !not.contains(p))
        .map(|p| (p, near.contains(&p)))
        .collect()
}

/// Places: near ones are those the given people have been to at some point.
fn place_options(world: &World, people: &[PersonId], not: usize) -> Vec<(usize, bool)> {
    let end = world.final_state();
    (0..world.places.len())
        .filter(|&p| p != not)
        .map(|p| (p, people.iter().any(|&q| end.visited[q][p])))
        .collect()
}

fn thing_options(world: &World, people: &[PersonId], not: usize) -> Vec<(usize, bool)> {
    let first: BTreeSet<usize> = (0..world.things.len())
        .filter(|&t| people.contains(&world.things[t].first_holder))
        .collect();
    (0..world.things.len())
        .filter(|&t| t != not)
        .map(|t| (t, first.contains(&t)))
        .collect()
}

fn pick<T: Copy>(rng: &mut SeededRng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| *rng.pick(items))
}

fn local(world: &World, rng: &mut SeededRng) -> Option<ClaimPair> {
    let candidates: Vec<EventId> = (0..world.events.len())
        .filter(|&i| {
            !matches!(
                world.events[i].what,
                Happening::Inheritance { .. } | Happening::Reveal { .. }
            )
        })
        .collect();
    let i = pick(rng, &candidates)?;
    let e = world.events[i];
    let ch = e.chapter;
    let place = e.place;
    let (truth, slot, options): (Claim, &'static str, Vec<(usize, bool)>) = match e.what {
        Happening::Gift {
            giver,
            receiver,
            thing,
        } => {
            let truth = Claim::Gave {
                giver,
                receiver,
                thing,
                place,
            };
            match rng.below(4) {
                0 => (
                    truth,
                    "receiver",
                    people_options(world, ch, &[giver, receiver]),
                ),
                1 => (
                    truth,
                    "giver",
                    people_options(world, ch, &[giver, receiver]),
                ),
                2 => (truth, "thing", thing_options(world, &[giver], thing)),
                _ => (
                    truth,
                    "place",
                    place_options(world, &[giver, receiver], place),
                ),
            }
        }
        Happening::Theft {
            thief,
            victim,
            thing,
        } => {
            let truth = Claim::Stole {
                thief,
                victim,
                thing,
                place,
            };
            match rng.below(4) {
                0 => (truth, "thief", people_options(world, ch, &[thief, victim])),
                1 => (truth, "victim", people_options(world, ch, &[thief, victim])),
                2 => (truth, "thing", thing_options(world, &[victim], thing)),
                _ => (
                    truth,
                    "place",
                    place_options(world, &[thief, victim], place),
                ),
            }
        }
        Happening::Meeting { a, b } => {
            let truth = Claim::Met { a, b, place };
            if rng.chance(0.5) {
                (truth, "b", people_options(world, ch, &[a, b]))
            } else {
                (truth, "place", place_options(world, &[a, b], place))
            }
        }
        Happening::Marriage { a, b } => {
            let truth = Claim::Married { a, b, place };
            if rng.chance(0.5) {
                (truth, "b", people_options(world, ch, &[a, b]))
            } else {
                (truth, "place", place_options(world, &[a, b], place))
            }
        }
        Happening::Death { who } => {
            let truth = Claim::Died { who, place };
            if rng.chance(0.5) {
                (truth, "who", people_options(world, ch, &[who]))
            } else {
                (truth, "place", place_options(world, &[who], place))
            }
        }
        Happening::Journey { who, from, to } => (
            Claim::Travelled { who, from, to },
            "to",
            place_options(world, &[who], to)
                .into_iter()
                .filter(|o| o.0 != from)
                .collect(),
        ),
        Happening::Inheritance { .. } | Happening::Reveal { .. } => return None,
    };
    let replace = move |c: &Claim, o: usize| -> Option<Claim> {
        let mut c = c.clone();
        match (&mut c, slot) {
            (Claim::Gave { receiver: x, .. }, "receiver")
            | (Claim::Gave { giver: x, .. }, "giver")
            | (Claim::Gave { thing: x, .. }, "thing")
            | (Claim::Gave { place: x, .. }, "place")
            | (Claim::Stole { thief: x, .. }, "thief")
            | (Claim::Stole { victim: x, .. }, "victim")
            | (Claim::Stole { thing: x, .. }, "thing")
            | (Claim::Stole { place: x, .. }, "place")
            | (Claim::Met { b: x, .. }, "b")
            | (Claim::Met { place: x, .. }, "place")
            | (Claim::Married { b: x, .. }, "b")
            | (Claim::Married { place: x, .. }, "place")
            | (Claim::Died { who: x, .. }, "who")
            | (Claim::Died { place: x, .. }, "place")
            | (Claim::Travelled { to: x, .. }, "to") => *x = o,
            _ => return None,
        }
        Some(c)
    };
    let draft = Draft {
        kind: Kind::Local,
        truth,
        slot,
        events: vec![i],
    };
    swapped(world, draft, options, &replace, rng)
}

fn consequence(world: &World, rng: &mut SeededRng) -> Option<ClaimPair> {
    let events = &world.events;
    // Every (earlier, later) pair of events that makes a consequence claim.
    let mut chains: Vec<(EventId, EventId)> = Vec::new();
    for (j, e) in events.iter().enumerate() {
        match e.what {
            Happening::Reveal { theft, .. } => chains.push((theft, j)),
            Happening::Gift {
                giver, thing: t, ..
            } => {
                if let Some(i) = (0..j).rev().find(|&i| {
                    matches!(events[i].what, Happening::Gift { receiver, thing, .. }
                        if receiver == giver && thing == t)
                }) {
                    chains.push((i, j));
                }
            }
            Happening::Inheritance { from, .. } => {
                if let Some(i) = (0..j).find(|&i| events[i].what == Happening::Death { who: from })
                {
                    chains.push((i, j));
                }
            }
            Happening::Marriage { a, b } => {
                if let Some(i) = (0..j).find(|&i| {
                    matches!(events[i].what, Happening::Meeting { a: x, b: y }
                        if (a, b) == (x, y) || (a, b) == (y, x))
                }) {
                    chains.push((i, j));
                }
            }
            _ => {}
        }
    }
    let (i, j) = pick(rng, &chains)?;
    let ch = events[j].chapter;
    let (truth, slot, options): (Claim, &'static str, Vec<(usize, bool)>) =
        match (events[i].what, events[j].what) {
            (
                Happening::Theft {
                    thief,
                    victim,
                    thing,
                },
                Happening::Reveal {
                    teller, listener, ..
                },
            ) => {
                let truth = Claim::StolenThenTold {
                    thief,
                    victim,
                    thing,
                    teller,
                    listener,
                };
                let not = [thief, teller, listener];
                if rng.chance(0.5) {
                    (truth, "teller", people_options(world, ch, &not))
                } else {
                    (truth, "listener", people_options(world, ch, &not))
                }
            }
            (
                Happening::Gift {
                    giver, receiver, ..
                },
                Happening::Gift {
                    receiver: next,
                    thing,
                    ..
                },
            ) => {
                let truth = Claim::GivenThenPassedOn {
                    giver,
                    receiver,
                    thing,
                    next,
                };
                (
                    truth,
                    "next",
                    people_options(world, ch, &[giver, receiver, next]),
                )
            }
            (Happening::Death { who }, Happening::Inheritance { heir, thing, .. }) => (
                Claim::DiedThenInherited {
                    dead: who,
                    thing,
                    heir,
                },
                "heir",
                people_options(world, ch, &[who, heir]),
            ),
            (Happening::Meeting { .. }, Happening::Marriage { a, b }) => (
                Claim::MetThenMarried {
                    a,
                    b,
                    place: events[i].place,
                },
                "place",
                place_options(world, &[a, b], events[i].place),
            ),
            _ => return None,
        };
    let replace = move |c: &Claim, o: usize| -> Option<Claim> {
        let mut c = c.clone();
        match (&mut c, slot) {
            (Claim::StolenThenTold { teller: x, .. }, "teller")
            | (Claim::StolenThenTold { listener: x, .. }, "listener")
            | (Claim::GivenThenPassedOn { next: x, .. }, "next")
            | (Claim::DiedThenInherited { heir: x, .. }, "heir")
            | (Claim::MetThenMarried { place: x, .. }, "place") => *x = o,
            _ => return None,
        }
        Some(c)
    };
    let draft = Draft {
        kind: Kind::Consequence,
        truth,
        slot,
        events: vec![i, j],
    };
    swapped(world, draft, options, &replace, rng)
}

fn end_state(world: &World, rng: &mut SeededRng) -> Option<ClaimPair> {
    let end = world.final_state();
    let name = |p: PersonId| world.people[p].full_name();
    match rng.below(3) {
        0 => {
            // Never been to: a place never reached against one reached only by a journey.
            let who = rng.below(world.people.len());
            let home = world.people[who].home;
            let unvisited: Vec<usize> = (0..world.places.len())
                .filter(|&p| !end.visited[who][p])
                .collect();
            let reached: Vec<usize> = (0..world.places.len())
                .filter(|&p| p != home && end.visited[who][p])
                .collect();
            let (u, v) = (pick(rng, &unvisited)?, pick(rng, &reached)?);
            let journeys: Vec<EventId> = (0..world.events.len())
                .filter(|&i| matches!(world.events[i].what, Happening::Journey { who: w, .. } if w == who))
                .collect();
            let been: Vec<&str> = (0..world.places.len())
                .filter(|&p| end.visited[who][p])
                .map(|p| world.places[p].name)
                .collect();
            Some(ClaimPair {
                kind: Kind::EndState,
                swap: Swap {
                    slot: "place",
                    true_text: world.places[u].name.into(),
                    false_text: world.places[v].name.into(),
                },
                true_claim: Claim::NeverVisited { who, place: u },
                false_claim: Claim::NeverVisited { who, place: v },
                events: journeys,
                intros: vec![who],
                state: vec![format!(
                    "by the end, {} had been to {} (home: {})",
                    name(who),
                    been.join(", "),
                    world.places[home].name
                )],
            })
        }
        1 => {
            // Who holds a thing at the end, against someone who held it before.
            let moved: Vec<usize> = (0..world.things.len())
                .filter(|&t| end.holder[t] != world.things[t].first_holder)
                .collect();
            let thing = pick(rng, &moved)?;
            let transfers: Vec<EventId> = (0..world.events.len())
                .filter(|&i| transfer(&world.events[i].what).is_some_and(|t| t.1 == thing))
                .collect();
            let mut earlier: Vec<PersonId> = transfers
                .iter()
                .filter_map(|&i| transfer(&world.events[i].what).map(|t| t.0))
                .filter(|&p| p != end.holder[thing])
                .collect();
            earlier.sort_unstable();
            earlier.dedup();
            let other = pick(rng, &earlier)?;
            let holder = end.holder[thing];
            Some(ClaimPair {
                kind: Kind::EndState,
                swap: Swap {
                    slot: "holder",
                    true_text: name(holder),
                    false_text: name(other),
                },
                true_claim: Claim::HeldAtEnd { holder, thing },
                false_claim: Claim::HeldAtEnd {
                    holder: other,
                    thing,
                },
                events: transfers,
                intros: vec![world.things[thing].first_holder],
                state: vec![format!(
                    "at the end, the {} {} held by {}",
                    world.things[thing].name,
                    if world.things[thing].plural {
                        "are"
                    } else {
                        "is"
                    },
                    name(holder)
                )],
            })
        }
        _ => {
            // Alive at the end, against someone who died.
            let alive: Vec<PersonId> = (0..world.people.len()).filter(|&p| end.alive[p]).collect();
            let dead: Vec<PersonId> = (0..world.people.len()).filter(|&p| !end.alive[p]).collect();
            let (a, d) = (pick(rng, &alive)?, pick(rng, &dead)?);
            let death = world
                .events
                .iter()
                .position(|e| e.what == Happening::Death { who: d })?;
            Some(ClaimPair {
                kind: Kind::EndState,
                swap: Swap {
                    slot: "who",
                    true_text: name(a),
                    false_text: name(d),
                },
                true_claim: Claim::AliveAtEnd { who: a },
                false_claim: Claim::AliveAtEnd { who: d },
                events: vec![death],
                intros: Vec::new(),
                state: vec![format!("{} never dies in the story", name(a))],
            })
        }
    }
}

fn counting(world: &World, rng: &mut SeededRng) -> Option<ClaimPair> {
    let name = |p: PersonId| world.people[p].full_name();
    let wrong = |n: usize, rng: &mut SeededRng| {
        if n > 1 && rng.chance(0.5) {
            n - 1
        } else {
            n + 1
        }
    };
    if rng.chance(0.6) {
        // Journeys of one person to one place; counts of two or more preferred.
        let mut cells: Vec<(PersonId, usize, usize)> = Vec::new();
        for who in 0..world.people.len() {
            for place in 0..world.places.len() {
                let n = journeys_to(world, who, place).len();
                if n >= 1 {
                    cells.push((who, place, n));
                }
            }
        }
        let many: Vec<_> = cells.iter().copied().filter(|c| c.2 >= 2).collect();
        let (who, place, n) = if !many.is_empty() && rng.chance(0.75) {
            pick(rng, &many)?
        } else {
            pick(rng, &cells)?
        };
        let f = wrong(n, rng);
        let truth = Claim::JourneysTo {
            who,
            place,
            count: n,
        };
        let false_claim = Claim::JourneysTo {
            who,
            place,
            count: f,
        };
        Some(ClaimPair {
            kind: Kind::Counting,
            swap: Swap {
                slot: "count",
                true_text: truth.slot_text(world, "count")?,
                false_text: false_claim.slot_text(world, "count")?,
            },
            true_claim: truth,
            false_claim,
            events: journeys_to(world, who, place),
            intros: Vec::new(),
            state: vec![format!(
                "{} travels to {} {} in all",
                name(who),
                world.places[place].name,
                times(n)
            )],
        })
    } else {
        let givers: Vec<(PersonId, usize)> = (0..world.people.len())
            .map(|p| (p, gifts_given(world, p).len()))
            .filter(|g| g.1 >= 1)
            .collect();
        let (who, n) = pick(rng, &givers)?;
        let f = wrong(n, rng);
        let truth = Claim::GiftsGiven { who, count: n };
        let false_claim = Claim::GiftsGiven { who, count: f };
        Some(ClaimPair {
            kind: Kind::Counting,
            swap: Swap {
                slot: "count",
                true_text: truth.slot_text(world, "count")?,
                false_text: false_claim.slot_text(world, "count")?,
            },
            true_claim: truth,
            false_claim,
            events: gifts_given(world, who),
            intros: Vec::new(),
            state: vec![format!("{} gives {} in all", name(who), gifts_count(n))],
        })
    }
}

fn order(world: &World, rng: &mut SeededRng) -> Option<ClaimPair> {
    let deeds: Vec<EventId> = (0..world.events.len())
        .filter(|&i| Deed::of(&world.events[i].what).is_some())
        .collect();
    let x = pick(rng, &deeds)?;
    // Chapters apart, so the order is the book's, not a paragraph's.
    let later: Vec<EventId> = deeds
        .iter()
        .copied()
        .filter(|&j| world.events[j].chapter.abs_diff(world.events[x].chapter) >= 2)
        .collect();
    let y = pick(rng, &later)?;
    let (early, late) = (x.min(y), x.max(y));
    let (de, dl) = (
        Deed::of(&world.events[early].what)?,
        Deed::of(&world.events[late].what)?,
    );
    let (first, second, before) = if rng.chance(0.5) {
        (de, dl, true)
    } else {
        (dl, de, false)
    };
    let truth = Claim::Order {
        first,
        second,
        before,
    };
    let false_claim = Claim::Order {
        first,
        second,
        before: !before,
    };
    Some(ClaimPair {
        kind: Kind::Order,
        swap: Swap {
            slot: "order",
            true_text: truth.slot_text(world, "order")?,
            false_text: false_claim.slot_text(world, "order")?,
        },
        true_claim: truth,
        false_claim,
        events: vec![early, late],
        intros: Vec::new(),
        state: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::world::Size;
    use super::*;

    #[test]
    fn pairs_of_every_kind_prove_themselves() {
        let mut kinds = BTreeSet::new();
        for seed in 0..30 {
            let mut rng = SeededRng::new(seed);
            let world = World::simulate(&mut rng, Size::for_tokens(64_000));
            let pairs = make_pairs(&world, &mut rng, 20).expect("20 pairs");
            let mut facts = BTreeSet::new();
            for p in &pairs {
                check(&world, p).unwrap();
                for c in [&p.true_claim, &p.false_claim] {
                    assert!(
                        facts.insert(c.canonical()),
                        "seed {seed}: {}",
                        c.text(&world)
                    );
                }
                kinds.insert(p.kind.name());
                assert!(!p.events.is_empty() || !p.intros.is_empty());
            }
        }
        assert_eq!(kinds.len(), 5, "{kinds:?}");
    }

    /// Two people alive at one place at one moment of the story (living there, a journey's
    /// end, an event, small talk) met there on a fair reading: no false claim says they met
    /// there, and with a person swapped no false claim says they met at all if they were ever
    /// together.
    #[test]
    fn no_false_meeting_where_the_two_were_ever_together() {
        let mut meetings = 0;
        for seed in 0..300 {
            let mut rng = SeededRng::new(seed);
            let tokens = [4_000, 16_000, 64_000][seed as usize % 3];
            let world = World::simulate(&mut rng, Size::for_tokens(tokens));
            let Ok(pairs) = make_pairs(&world, &mut rng, 15) else {
                continue;
            };
            let states = world.states();
            for p in &pairs {
                let (a, b, place) = match p.false_claim {
                    Claim::Met { a, b, place } | Claim::MetThenMarried { a, b, place } => {
                        (a, b, place)
                    }
                    _ => continue,
                };
                meetings += 1;
                let anywhere = p.swap.slot != "place";
                for s in &states {
                    let together = s.alive[a] && s.alive[b] && s.location[a] == s.location[b];
                    assert!(
                        !(together && (anywhere || s.location[a] == place)),
                        "seed {seed}: {}",
                        p.false_claim.text(&world)
                    );
                }
            }
        }
        assert!(meetings > 30, "only {meetings} false meetings");
    }

    #[test]
    fn texts_differing_outside_the_detail_are_refused() {
        let swap = Swap {
            slot: "place",
            true_text: "Dunmere".into(),
            false_text: "Saltmarsh".into(),
        };
        assert!(
            differ_only_in("Ann met Bo at Dunmere.", "Ann met Bo at Saltmarsh.", &swap).is_ok()
        );
        assert!(
            differ_only_in("Ann met Bo at Dunmere.", "Ann met Cy at Saltmarsh.", &swap).is_err()
        );
        assert!(differ_only_in("Ann met Bo at Dunmere.", "Ann met Bo at Dunmere.", &swap).is_err());
        let count = Swap {
            slot: "count",
            true_text: "exactly twice".into(),
            false_text: "exactly three times".into(),
        };
        assert!(differ_only_in("went exactly twice.", "went exactly three times.", &count).is_ok());
    }
}
