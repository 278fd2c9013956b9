//! Travel planning: invented cities, a stay length for each, some stays fixed to given days by an
//! event, a number of days in all, and the pairs of cities joined by a direct flight. The answer
//! is the search that finds the trip, in a `<Solving Procedure>` block, then the trip in a
//! `<Plan>` block.
//!
//! As in the original (LongProc's travel planning, after NATURAL PLAN's trip planning), stays
//! follow each other without a gap and the day of a flight counts for both cities: a stay of 4
//! days on days 1-4, a flight on day 4, the next stay of 3 days on days 4-6. The days in all are
//! therefore the stays' days minus one per flight. A city with an event is visited exactly on the
//! event's days (its stay length is the event's length).
//!
//! The search the prompt states, followed by [`Search`] (which writes the reference trace):
//! 1. The fixed stays are written first, in order of their first day.
//! 2. Depth first, day by day from day 1: when a fixed stay begins on the current day, its city
//!    is the only candidate; otherwise the candidates are the cities not placed yet without an
//!    event, in the order the problem lists them. A candidate is rejected when no direct flight
//!    joins it to the city before it, or when its stay would end after the day the next fixed
//!    stay begins (for a fixed city, the fixed stay after its own; the last day of the trip when
//!    there is none); otherwise it is accepted and the search
//!    goes on from its last day. When no candidate is left, the search backtracks: the city
//!    before is removed and the next candidate after it tried.
//! 3. The search stops when every city is placed.
//!
//! Uniqueness: every instance has exactly one valid trip, checked by searching every trip
//! ([`count_plans`]); a second trip is broken by removing one of its flights that the first one
//! does not take, and the instance is redrawn when that cannot be done (a trip that is the first
//! backwards) or the check would search too long.
//!
//! Size: the trace grows with the cities (faster than linearly: each step tries every city
//! left) and with the flights that let the search go down wrong ways, and shrinks with the
//! fixed stays (each cuts the search into shorter gaps). One knob sets both, its whole part the
//! cities and its fraction the flights beyond the trip's (a quarter to twice the cities);
//! instances are drawn, moving the knob by bisection, until the reference's estimated length is
//! within 10% of the aim (20% after half the draws). Dial: `--fixed`, the share of the cities
//! with an event (at least one: without one, every trip backwards is a second trip).

use longforge_datasets::SeededRng;
use rustc_hash::FxHashSet;
use serde_json::{json, Map, Value};

use super::places::Namer;
use super::{render, Instance, Level, Procedure};
use crate::GenerateError;

pub(crate) struct TravelPlanning;

/// About this many characters a token in a reference (invented names, day numbers; measured
/// 3.0-3.35 with cl100k_base).
const CHARS_PER_TOKEN: f64 = 3.15;
/// Stay lengths, in days (a stay of 1 day would be its two flight days at once).
const SHORTEST: usize = 2;
const LONGEST: usize = 7;
const FEWEST_CITIES: usize = 3;
const MOST_CITIES: usize = 60;
/// Instances drawn before a level is declared out of the dial's reach.
const DRAWS: usize = 60;
/// Search nodes the uniqueness check may visit before the instance is redrawn.
const CHECK_NODES: usize = 50_000;

const EVENTS: &[&str] = &[
    "a conference",
    "a wedding",
    "a workshop",
    "a music festival",
    "a trade fair",
    "a friend's birthday party",
    "a job interview",
    "a family reunion",
    "a chess tournament",
    "a book fair",
];

/// A city of the problem, in the order the problem lists it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct City {
    pub name: String,
    /// Stay length in days, [`SHORTEST`]..=[`LONGEST`].
    pub days: usize,
    /// The event fixing the stay: its name and first day (the last is `first + days - 1`).
    pub event: Option<(&'static str, usize)>,
}

impl City {
    fn fixed(&self) -> Option<(usize, usize)> {
        self.event.map(|(_, first)| (first, first + self.days - 1))
    }
}

/// One stay of a trip: the city (index into the listed cities), its first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stay {
    pub city: usize,
    pub first: usize,
    pub last: usize,
}

/// A problem: the cities as listed, the direct flights (unordered pairs), the days in all.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub cities: Vec<City>,
    pub flights: Vec<(usize, usize)>,
    pub total: usize,
}

impl Problem {
    fn joined(&self) -> Vec<Vec<bool>> {
        let n = self.cities.len();
        let mut joined = vec![vec![false; n]; n];
        for &(a, b) in &self.flights {
            joined[a][b] = true;
            joined[b][a] = true;
        }
        joined
    }

    /// The fixed cities in order of their first day.
    fn fixed_order(&self) -> Vec<usize> {
        let mut fixed: Vec<usize> = (0..self.cities.len())
            .filter(|&c| self.cities[c].event.is_some())
            .collect();
        fixed.sort_by_key(|&c| self.cities[c].fixed().map(|f| f.0));
        fixed
    }
}

/// The search of the prompt. With `lines` it writes the trace and stops at the first trip;
/// without, it counts trips (up to `want`) and visits at most `budget` nodes.
pub(crate) struct Search<'a> {
    problem: &'a Problem,
    joined: Vec<Vec<bool>>,
    fixed: Vec<usize>,
    placed: Vec<bool>,
    /// The placed cities as bits (at most [`MOST_CITIES`] cities, so they fit).
    mask: u64,
    /// Counting only: (placed cities, last city) from which no trip completes. The day and the
    /// next fixed stay follow from the placed cities, so such a state never completes again.
    /// Looked up at every node of the uniqueness check, so hashed with Fx rather than SipHash
    /// (the keys are ours, not an adversary's; only membership is read, never the order).
    dead: FxHashSet<(u64, usize)>,
    path: Vec<Stay>,
    /// The trace, when writing one.
    pub lines: Option<Vec<String>>,
    /// Characters of trace written (lines and newlines); a writing search stops past `limit`.
    pub chars: usize,
    limit: usize,
    /// Trips found, in search order.
    pub found: Vec<Vec<Stay>>,
    want: usize,
    nodes: usize,
    budget: usize,
    /// Whether the search stopped at its limit or budget rather than finishing.
    pub cut: bool,
}

impl<'a> Search<'a> {
    fn new(problem: &'a Problem) -> Self {
        Search {
            problem,
            joined: problem.joined(),
            fixed: problem.fixed_order(),
            placed: vec![false; problem.cities.len()],
            mask: 0,
            dead: FxHashSet::default(),
            path: Vec::new(),
            lines: None,
            chars: 0,
            limit: usize::MAX,
            found: Vec::new(),
            want: 1,
            nodes: 0,
            budget: usize::MAX,
            cut: false,
        }
    }

    /// The trace of the search up to the first trip, or until `limit` characters are written.
    pub fn trace(problem: &'a Problem, limit: usize) -> Self {
        let mut s = Search::new(problem);
        s.lines = Some(Vec::new());
        s.limit = limit;
        for &c in &s.fixed.clone() {
            let city = &problem.cities[c];
            if let Some((first, last)) = city.fixed() {
                s.write(|_| format!("Fixed: {} on days {first}-{last}.", city.name));
            }
        }
        s.visit(1, None, 0);
        s
    }

    fn name(&self, city: usize) -> &str {
        &self.problem.cities[city].name
    }

    /// Writes the line `line` makes, when writing a trace. The line is made only then: the
    /// uniqueness check runs this search without a trace over many more nodes, and formatting
    /// lines it throws away was most of its time.
    fn write(&mut self, line: impl FnOnce(&Self) -> String) {
        if self.lines.is_none() {
            return;
        }
        let line = line(self);
        self.chars += line.len() + 1;
        if let Some(lines) = &mut self.lines {
            lines.push(line);
        }
        if self.chars > self.limit {
            self.cut = true;
        }
    }

    /// A candidate as the trace names it: "CITY (days D-E)", or "CITY (fixed, days D-E)".
    fn what(&self, c: usize, day: usize, last: usize) -> String {
        if self.problem.cities[c].event.is_some() {
            format!("{} (fixed, days {day}-{last})", self.name(c))
        } else {
            format!("{} (days {day}-{last})", self.name(c))
        }
    }

    /// Searches on from `day` (the last day of `prev`'s stay, or 1); `next_fixed` indexes the
    /// next fixed stay. True when the search is over.
    fn visit(&mut self, day: usize, prev: Option<usize>, next_fixed: usize) -> bool {
        let n = self.problem.cities.len();
        self.nodes += 1;
        let counting = self.lines.is_none();
        let state = (self.mask, prev.unwrap_or(usize::MAX));
        if counting && self.dead.contains(&state) {
            return false;
        }
        let found_before = self.found.len();
        if self.nodes > self.budget {
            self.cut = true;
        }
        if self.cut {
            return true;
        }
        if self.path.len() == n {
            self.write(|_| format!("Day {day}: all {n} cities are placed; the plan is complete."));
            self.found.push(self.path.clone());
            return self.found.len() >= self.want;
        }
        let total = self.problem.total;
        let fixed = self.fixed.get(next_fixed).copied();
        let limit = fixed
            .and_then(|c| self.problem.cities[c].fixed())
            .map_or(total, |f| f.0);
        let forced = fixed.filter(|_| limit == day);
        // A fixed stay that begins today must end by the first day of the one after it.
        let limit = match forced {
            Some(_) => self
                .fixed
                .get(next_fixed + 1)
                .and_then(|&c| self.problem.cities[c].fixed())
                .map_or(total, |f| f.0),
            None => limit,
        };
        // The candidates: the forced fixed city, or the unplaced cities without an event in
        // listed order. Each accepted candidate's subtree unplaces what it placed before the
        // next is tried, so testing `placed` as the loop goes sees the set as it was on entry.
        let candidates = match forced {
            Some(c) => c..c + 1,
            None => 0..n,
        };
        for c in candidates {
            if forced.is_none() && (self.placed[c] || self.problem.cities[c].event.is_some()) {
                continue;
            }
            let last = day + self.problem.cities[c].days - 1;
            let is_fixed = self.problem.cities[c].event.is_some();
            if let Some(p) = prev.filter(|&p| !self.joined[p][c]) {
                self.write(|s| {
                    format!(
                        "Day {day}: try {}: no direct flight from {}, rejected.",
                        s.what(c, day, last),
                        s.name(p)
                    )
                });
            } else if last > limit {
                self.write(|s| {
                    format!(
                        "Day {day}: try {}: ends after day {limit}, rejected.",
                        s.what(c, day, last)
                    )
                });
            } else {
                self.write(|s| format!("Day {day}: try {}: accepted.", s.what(c, day, last)));
                if self.cut {
                    return true;
                }
                self.placed[c] = true;
                self.mask |= bit(c);
                self.path.push(Stay {
                    city: c,
                    first: day,
                    last,
                });
                let done = self.visit(last, Some(c), next_fixed + usize::from(is_fixed));
                self.path.pop();
                self.placed[c] = false;
                self.mask &= !bit(c);
                if done {
                    return true;
                }
            }
            if self.cut {
                return true;
            }
        }
        if counting && !self.cut && self.found.len() == found_before {
            self.dead.insert(state);
        }
        match prev {
            Some(p) => self.write(|s| {
                format!(
                    "Day {day}: nothing fits after {}; backtrack, removing {}.",
                    s.name(p),
                    s.name(p)
                )
            }),
            None => self.write(|_| "Day 1: nothing fits; there is no plan.".into()),
        }
        self.cut
    }
}

/// City `c`'s bit in [`Search`]'s mask; cities past 64 have none (their search writes a
/// trace, but [`count_plans`] refuses them, since its memory of dead states needs the bits).
fn bit(c: usize) -> u64 {
    1u64.checked_shl(c as u32).unwrap_or(0)
}

/// Trips of `problem`, up to `want` of them, in search order; `None` when finding them would
/// visit more than `budget` search nodes, or the problem has more than 64 cities.
pub(crate) fn count_plans(problem: &Problem, want: usize, budget: usize) -> Option<Vec<Vec<Stay>>> {
    if problem.cities.len() > 64 {
        return None;
    }
    let mut s = Search::new(problem);
    s.want = want;
    s.budget = budget;
    s.visit(1, None, 0);
    (!s.cut).then_some(s.found)
}

/// The `<Plan>` lines of a trip.
pub(crate) fn plan_lines(problem: &Problem, plan: &[Stay]) -> Vec<String> {
    let mut out = Vec::with_capacity(2 * plan.len());
    for (i, stay) in plan.iter().enumerate() {
        let name = &problem.cities[stay.city].name;
        let days = stay.last - stay.first + 1;
        if i == 0 {
            out.push(format!(
                "Day {}-{}: Arriving in {name} and visit {name} for {days} days.",
                stay.first, stay.last
            ));
        } else {
            let from = &problem.cities[plan[i - 1].city].name;
            out.push(format!("Day {}: Fly from {from} to {name}.", stay.first));
            out.push(format!(
                "Day {}-{}: Visit {name} for {days} days.",
                stay.first, stay.last
            ));
        }
    }
    out
}

/// The answer in the asked form.
pub(crate) fn answer(trace: &[String], plan: &[String]) -> String {
    format!(
        "<Solving Procedure>\n{}\n</Solving Procedure>\n<Plan>\n{}\n</Plan>",
        trace.join("\n"),
        plan.join("\n")
    )
}

/// The problem as the prompt states it.
pub(crate) fn statement(problem: &Problem) -> String {
    let mut out = format!(
        "You plan to visit {} cities for {} days in total. You only take direct flights between cities.\n\nThe cities, in this order:\n",
        problem.cities.len(),
        problem.total
    );
    for (i, city) in problem.cities.iter().enumerate() {
        out.push_str(&format!(
            "{}. {}: stay {} days.",
            i + 1,
            city.name,
            city.days
        ));
        if let (Some((event, _)), Some((first, last))) = (city.event, city.fixed()) {
            out.push_str(&format!(
                " You attend {event} in {} between day {first} and day {last}.",
                city.name
            ));
        }
        out.push('\n');
    }
    out.push_str("\nThe direct flights (each goes both ways):\n");
    for &(a, b) in &problem.flights {
        out.push_str(&format!(
            "{} and {}\n",
            problem.cities[a].name, problem.cities[b].name
        ));
    }
    out
}

const PROMPT: &str = "\
Plan a trip through the cities below. Rules: the trip starts on day 1 and ends on the last day; \
each city is visited exactly once, for exactly its stay length; stays follow each other with no \
gap, and the day of a flight counts for both cities (a 4-day stay on days 1-4, a flight on day 4, \
the next stay on days 4-6 if it lasts 3 days); you may only fly between two cities joined by a \
direct flight; a city with an event is visited exactly from the event's first day to its last.

Find the plan with this search, and write down every step of it:
1. First write, for each city with an event in order of the event's first day, the line \
\"Fixed: CITY on days A-B.\"
2. Then place cities one after another, starting on day 1. The current day is the day the next \
stay begins: day 1, then the last day of the stay just placed. The candidates for the current \
day are: when a fixed stay begins on it, that city only; otherwise every city not yet placed \
that has no event, in the order the cities are listed. For each candidate in turn, with its stay \
running from the current day D to E (D plus its stay length minus 1):
   - if no direct flight joins it to the city placed before it, write \
\"Day D: try CITY (days D-E): no direct flight from PREVIOUS, rejected.\";
   - else if E is after the first day of the next fixed stay not yet placed (for a fixed city, \
the fixed stay after its own; the last day of the trip when none is left), write \"Day D: try CITY (days D-E): ends after day L, rejected.\" \
with L that day;
   - otherwise write \"Day D: try CITY (days D-E): accepted.\", place it, and go on from day E \
before trying the next candidate.
   A fixed city is written as \"CITY (fixed, days D-E)\" in these lines.
3. When no candidate is left, write \"Day D: nothing fits after PREVIOUS; backtrack, removing \
PREVIOUS.\", remove that city and go on with the candidate after it, on the day it was tried.
4. When every city is placed, write \"Day D: all N cities are placed; the plan is complete.\" and \
stop.

Write your answer in exactly this form: the search, one step a line, between the lines \
<Solving Procedure> and </Solving Procedure>; then the plan between the lines <Plan> and </Plan>, \
in the order of the trip, with these lines:
Day A-B: Arriving in CITY and visit CITY for N days.   (the first stay)
Day B: Fly from CITY to NEXT CITY.   (each flight)
Day B-C: Visit NEXT CITY for M days.   (each later stay)

Here is a worked example.

{{ example_problem }}
{{ example }}

Now plan this trip.

{{ problem }}";

/// The worked example: four cities, one event, a wrong turn and a backtrack.
fn example_problem() -> Problem {
    let city = |name: &str, days, event| City {
        name: name.into(),
        days,
        event,
    };
    Problem {
        cities: vec![
            city("Dunmarsh", 3, None),
            city("Harrowgate", 3, None),
            city("Port Selwyn", 2, None),
            city("Lake Ambra Falls", 4, Some(("a wedding", 4))),
        ],
        flights: vec![(1, 2), (2, 3), (1, 0), (0, 3)],
        total: 9,
    }
}

/// A drawn instance: the problem and its only trip.
struct Drawn {
    problem: Problem,
    plan: Vec<Stay>,
}

/// Draws `n` cities with `fixed` of them fixed, in a random trip, with `extra` flights beside
/// the trip's, then removes flights until the trip is the only one. `None` when that fails.
fn draw(n: usize, fixed: usize, extra: usize, rng: &mut SeededRng) -> Option<Drawn> {
    let mut namer = Namer::default();
    let names: Vec<String> = (0..n).map(|_| namer.name(rng)).collect();
    let days: Vec<usize> = (0..n).map(|_| rng.range(SHORTEST, LONGEST)).collect();
    // The trip visits the cities in list order 0..n here; the listing is shuffled below.
    let mut in_trip: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut in_trip);
    let mut is_fixed = vec![false; n];
    for &c in in_trip.iter().take(fixed) {
        is_fixed[c] = true;
    }
    let mut cities = Vec::with_capacity(n);
    let mut plan = Vec::with_capacity(n);
    let mut day = 1;
    for c in 0..n {
        let last = day + days[c] - 1;
        cities.push(City {
            name: names[c].clone(),
            days: days[c],
            event: is_fixed[c].then(|| (rng.draw(EVENTS), day)),
        });
        plan.push(Stay {
            city: c,
            first: day,
            last,
        });
        day = last;
    }
    let total = day;
    // Listing order: a permutation; map trip indices to listed positions.
    let mut listed: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut listed);
    // position[c] = where trip city c is listed.
    let mut position = vec![0; n];
    for (at, &c) in listed.iter().enumerate() {
        position[c] = at;
    }
    let cities: Vec<City> = listed.iter().map(|&c| cities[c].clone()).collect();
    let plan: Vec<Stay> = plan
        .iter()
        .map(|s| Stay {
            city: position[s.city],
            ..*s
        })
        .collect();
    let key = |a: usize, b: usize| (a.min(b), a.max(b));
    let mut flights: Vec<(usize, usize)> =
        plan.windows(2).map(|w| key(w[0].city, w[1].city)).collect();
    let needed = flights.clone();
    let all_pairs = n * (n - 1) / 2;
    let mut tries = 0;
    while flights.len() < (n - 1 + extra).min(all_pairs) && tries < 20 * (extra + 1) {
        tries += 1;
        let a = rng.below(n);
        let b = rng.below(n);
        if a != b && !flights.contains(&key(a, b)) {
            flights.push(key(a, b));
        }
    }
    let mut problem = Problem {
        cities,
        flights,
        total,
    };
    for _ in 0..4 * n {
        let found = count_plans(&problem, 2, CHECK_NODES)?;
        let Some(other) = found.iter().find(|p| **p != plan) else {
            return (found.len() == 1).then_some(Drawn { problem, plan });
        };
        let removable: Vec<(usize, usize)> = other
            .windows(2)
            .map(|w| key(w[0].city, w[1].city))
            .filter(|f| !needed.contains(f))
            .collect();
        if removable.is_empty() {
            return None;
        }
        let cut = rng.draw(&removable);
        problem.flights.retain(|&f| f != cut);
    }
    None
}

impl Procedure for TravelPlanning {
    fn instance(
        &self,
        share: f64,
        aim: f64,
        level: Level,
        rng: &mut SeededRng,
    ) -> Result<Instance, GenerateError> {
        let want = (aim * CHARS_PER_TOKEN) as usize;
        let (mut low, mut high) = (want * 9 / 10, want * 11 / 10);
        // The size knob: its whole part is the number of cities, its fraction the density of
        // flights beyond the trip's. Moved up when a trace is short and down when long, by a step
        // halved at each change of direction (a bisection that keeps drawing, since traces of
        // one size vary).
        let mut knob = first_guess(aim, share);
        let mut step = 1.0;
        let mut last_move = 0.0;
        let mut nudge = |knob: &mut f64, up: bool| {
            let dir = if up { 1.0 } else { -1.0 };
            if last_move != 0.0 && dir != last_move {
                step = (step / 2.0f64).max(0.25);
            }
            last_move = dir;
            *knob = (*knob + dir * step).clamp(FEWEST_CITIES as f64, MOST_CITIES as f64 + 0.99);
        };
        let (mut shortest, mut longest) = (usize::MAX, 0);
        let mut unique = 0;
        for attempt in 0..DRAWS {
            if attempt == DRAWS / 2 {
                (low, high) = (want * 8 / 10, want * 12 / 10);
            }
            let n = knob.floor() as usize;
            // At least one fixed stay: without one, every trip backwards is a second trip.
            let fixed = ((share * n as f64).round() as usize).clamp(1, n);
            let extra = (n as f64 * (0.25 + 1.75 * knob.fract())).round() as usize;
            let Some(drawn) = draw(n, fixed, extra, rng) else {
                continue;
            };
            unique += 1;
            let plan = plan_lines(&drawn.problem, &drawn.plan);
            let plan_chars: usize = plan.iter().map(|l| l.len() + 1).sum::<usize>() + 50;
            let search = Search::trace(&drawn.problem, high.saturating_sub(plan_chars));
            let chars = search.chars + plan_chars;
            if search.cut || chars > high {
                longest = longest.max(chars);
                shortest = shortest.min(chars);
                nudge(&mut knob, false);
                continue;
            }
            shortest = shortest.min(chars);
            longest = longest.max(chars);
            if chars < low {
                nudge(&mut knob, true);
                continue;
            }
            let Some(lines) = search.lines else {
                continue;
            };
            if search.found.first() != Some(&drawn.plan) {
                return Err(GenerateError::param(
                    "(all)",
                    "travel planning: the search found another trip than the only one; this is a bug, please report it",
                ));
            }
            return self.assemble(drawn, &lines, &plan, share, rng);
        }
        let tokens = |chars: usize| (chars as f64 / CHARS_PER_TOKEN) as usize;
        let message = if unique == 0 {
            format!("a fixed share of {share}: no instance with exactly one plan was drawn for level {level}; use a larger --fixed")
        } else if shortest > high {
            format!(
                "a fixed share of {share} makes travel-planning traces too long for level {level}: the shortest drawn was about {} tokens; use a larger --fixed or a larger level",
                tokens(shortest)
            )
        } else {
            format!(
                "a fixed share of {share} does not make a travel-planning trace of level {level}: the longest drawn was about {} tokens; use a smaller --fixed or a smaller level",
                tokens(longest)
            )
        };
        Err(GenerateError::param("fixed", message))
    }
}

/// The size knob to try first for an aim in tokens: cities grow as a power of the aim, faster
/// with more fixed stays (fitted to measured traces: at 8k, about 11 cities with a share of 0.1,
/// 16 with 0.3, 33 with 0.6).
fn first_guess(aim: f64, share: f64) -> f64 {
    let base = (4.5 + 5.5 * share) * (aim / 500.0).powf(0.25 + 0.45 * share);
    base.clamp(FEWEST_CITIES as f64, MOST_CITIES as f64)
}

impl TravelPlanning {
    fn assemble(
        &self,
        drawn: Drawn,
        trace: &[String],
        plan: &[String],
        share: f64,
        rng: &mut SeededRng,
    ) -> Result<Instance, GenerateError> {
        let Drawn {
            problem,
            plan: stays,
        } = drawn;
        let output = answer(trace, plan);
        let example = example_problem();
        let example_search = Search::trace(&example, usize::MAX);
        let example_plan = example_search.found.first().cloned().unwrap_or_default();
        let problem_text = statement(&problem);
        let prompt = render(
            PROMPT,
            json!({
                "example_problem": statement(&example),
                "example": answer(
                    example_search.lines.as_deref().unwrap_or_default(),
                    &plan_lines(&example, &example_plan),
                ),
                "problem": problem_text,
            }),
        )?;
        let name = |c: usize| problem.cities[c].name.clone();
        let mut meta = Map::new();
        meta.insert("total_days".into(), json!(problem.total));
        meta.insert(
            "cities".into(),
            Value::Array(
                problem
                    .cities
                    .iter()
                    .map(|c| json!({"name": c.name, "days": c.days}))
                    .collect(),
            ),
        );
        meta.insert(
            "fixed".into(),
            Value::Array(
                problem
                    .cities
                    .iter()
                    .filter_map(|c| {
                        let (event, _) = c.event?;
                        let (first, last) = c.fixed()?;
                        Some(json!({"city": c.name, "event": event, "first_day": first, "last_day": last}))
                    })
                    .collect(),
            ),
        );
        meta.insert(
            "flights".into(),
            json!(problem
                .flights
                .iter()
                .map(|&(a, b)| [name(a), name(b)])
                .collect::<Vec<_>>()),
        );
        meta.insert(
            "plan".into(),
            Value::Array(
                stays
                    .iter()
                    .map(
                        |s| json!({"city": name(s.city), "first_day": s.first, "last_day": s.last}),
                    )
                    .collect(),
            ),
        );
        meta.insert("search_lines".into(), json!(trace.len()));
        // Random: plan lines drawn among every city's stay at its true days and at a day
        // shifted, and flights on the listed pairs; shortcut: the cities in the listed order,
        // a reader who never searches.
        let mut candidates = plan.to_vec();
        for s in &stays {
            let shift = rng.range(1, 3);
            candidates.push(format!(
                "Day {}-{}: Visit {} for {} days.",
                s.first + shift,
                s.last + shift,
                name(s.city),
                s.last - s.first + 1
            ));
        }
        for &(a, b) in &problem.flights {
            let day = rng.range(1, problem.total);
            candidates.push(format!("Day {day}: Fly from {} to {}.", name(a), name(b)));
        }
        let in_order: Vec<Stay> = {
            let mut day = 1;
            problem
                .cities
                .iter()
                .enumerate()
                .map(|(c, city)| {
                    let s = Stay {
                        city: c,
                        first: day,
                        last: day + city.days - 1,
                    };
                    day = s.last;
                    s
                })
                .collect()
        };
        let shortcut = plan_lines(&problem, &in_order);
        let question = format!(
            "Plan a {}-day trip through {} cities ({:.0}% with a fixed event), showing the search.",
            problem.total,
            problem.cities.len(),
            share * 100.0
        );
        Ok(Instance {
            context: None,
            question,
            prompt,
            output,
            kind: "travel_plan",
            meta,
            evidence: Vec::new(),
            baseline: json!({
                "candidates": candidates,
                "picks": plan.len(),
                "shortcut": shortcut,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(share: f64, aim: f64, seed: u64) -> Instance {
        TravelPlanning
            .instance(share, aim, Level(2000), &mut SeededRng::new(seed))
            .unwrap()
    }

    /// A problem as `meta` records it: cities (name, days, fixed first day), flights (by city
    /// index), total days, and the plan (city, first day, last day).
    type Recorded = (
        Vec<(String, usize, Option<usize>)>,
        Vec<(usize, usize)>,
        usize,
        Vec<(String, usize, usize)>,
    );

    /// The problem again, from the facts `meta` records (as an importer would rebuild it).
    fn from_meta(meta: &Map<String, Value>) -> Recorded {
        let names: Vec<String> = meta["cities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect();
        let at = |name: &str| names.iter().position(|n| n == name).unwrap();
        let mut cities: Vec<(String, usize, Option<usize>)> = meta["cities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["days"].as_u64().unwrap() as usize,
                    None,
                )
            })
            .collect();
        for f in meta["fixed"].as_array().unwrap() {
            let c = at(f["city"].as_str().unwrap());
            let (first, last) = (
                f["first_day"].as_u64().unwrap() as usize,
                f["last_day"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                last - first + 1,
                cities[c].1,
                "an event's days are the stay's"
            );
            cities[c].2 = Some(first);
        }
        let flights = meta["flights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (at(f[0].as_str().unwrap()), at(f[1].as_str().unwrap())))
            .collect();
        let plan = meta["plan"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["city"].as_str().unwrap().to_string(),
                    p["first_day"].as_u64().unwrap() as usize,
                    p["last_day"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        (
            cities,
            flights,
            meta["total_days"].as_u64().unwrap() as usize,
            plan,
        )
    }

    /// Every valid trip, by trying every order of the cities (no search order, no pruning).
    fn every_trip(
        cities: &[(String, usize, Option<usize>)],
        flights: &[(usize, usize)],
        total: usize,
    ) -> Vec<Vec<usize>> {
        fn permute(
            k: usize,
            order: &mut Vec<usize>,
            out: &mut Vec<Vec<usize>>,
            ok: &dyn Fn(&[usize]) -> bool,
        ) {
            if k == order.len() {
                if ok(order) {
                    out.push(order.clone());
                }
                return;
            }
            for i in k..order.len() {
                order.swap(k, i);
                permute(k + 1, order, out, ok);
                order.swap(k, i);
            }
        }
        let ok = |order: &[usize]| {
            let mut day = 1;
            for (i, &c) in order.iter().enumerate() {
                if i > 0 {
                    let p = order[i - 1];
                    if !flights.contains(&(p, c)) && !flights.contains(&(c, p)) {
                        return false;
                    }
                }
                if cities[c].2.is_some_and(|first| first != day) {
                    return false;
                }
                day += cities[c].1 - 1;
            }
            day == total
        };
        let mut out = Vec::new();
        permute(0, &mut (0..cities.len()).collect(), &mut out, &ok);
        out
    }

    /// The procedure of the prompt again, written differently (an explicit stack of candidate
    /// lists, no shared code): the trace lines and the trip found.
    fn replay(
        cities: &[(String, usize, Option<usize>)],
        flights: &[(usize, usize)],
        total: usize,
    ) -> (Vec<String>, Vec<(usize, usize, usize)>) {
        let n = cities.len();
        let mut fixed: Vec<usize> = (0..n).filter(|&c| cities[c].2.is_some()).collect();
        fixed.sort_by_key(|&c| cities[c].2);
        let mut out: Vec<String> = fixed
            .iter()
            .map(|&c| {
                format!(
                    "Fixed: {} on days {}-{}.",
                    cities[c].0,
                    cities[c].2.unwrap(),
                    cities[c].2.unwrap() + cities[c].1 - 1
                )
            })
            .collect();
        let flies = |a: usize, b: usize| flights.contains(&(a, b)) || flights.contains(&(b, a));
        // Each frame: the day, the candidates left (reversed, popped from the end).
        let mut trip: Vec<(usize, usize, usize)> = Vec::new();
        let next_start = |trip: &Vec<(usize, usize, usize)>, skip: usize| {
            fixed
                .iter()
                .filter(|&&c| !trip.iter().any(|t| t.0 == c))
                .nth(skip)
                .map_or(total, |&c| cities[c].2.unwrap())
        };
        let candidates = |trip: &Vec<(usize, usize, usize)>, day: usize| -> Vec<usize> {
            match fixed.iter().find(|&&c| !trip.iter().any(|t| t.0 == c)) {
                Some(&f) if cities[f].2 == Some(day) => vec![f],
                _ => (0..n)
                    .rev()
                    .filter(|&c| cities[c].2.is_none() && !trip.iter().any(|t| t.0 == c))
                    .collect(),
            }
        };
        let mut stack: Vec<(usize, Vec<usize>)> = vec![(1, candidates(&trip, 1))];
        while let Some((day, left)) = stack.last_mut() {
            let day = *day;
            if trip.len() == n {
                out.push(format!(
                    "Day {day}: all {n} cities are placed; the plan is complete."
                ));
                return (out, trip);
            }
            let Some(c) = left.pop() else {
                stack.pop();
                let gone = trip.pop().unwrap();
                out.push(format!(
                    "Day {day}: nothing fits after {}; backtrack, removing {}.",
                    cities[gone.0].0, cities[gone.0].0
                ));
                continue;
            };
            let last = day + cities[c].1 - 1;
            let is_fixed = cities[c].2.is_some();
            let limit = next_start(&trip, usize::from(is_fixed));
            let what = format!(
                "{} ({}days {day}-{last})",
                cities[c].0,
                if is_fixed { "fixed, " } else { "" }
            );
            match trip.last() {
                Some(&(p, _, _)) if !flies(p, c) => out.push(format!(
                    "Day {day}: try {what}: no direct flight from {}, rejected.",
                    cities[p].0
                )),
                _ if last > limit => out.push(format!(
                    "Day {day}: try {what}: ends after day {limit}, rejected."
                )),
                _ => {
                    out.push(format!("Day {day}: try {what}: accepted."));
                    trip.push((c, day, last));
                    let next = candidates(&trip, last);
                    stack.push((last, next));
                }
            }
        }
        (out, trip)
    }

    #[test]
    fn the_worked_example_backtracks_and_has_one_trip() {
        let p = example_problem();
        let s = Search::trace(&p, usize::MAX);
        let expected = "\
Fixed: Lake Ambra Falls on days 4-7.
Day 1: try Dunmarsh (days 1-3): accepted.
Day 3: try Harrowgate (days 3-5): ends after day 4, rejected.
Day 3: try Port Selwyn (days 3-4): no direct flight from Dunmarsh, rejected.
Day 3: nothing fits after Dunmarsh; backtrack, removing Dunmarsh.
Day 1: try Harrowgate (days 1-3): accepted.
Day 3: try Dunmarsh (days 3-5): ends after day 4, rejected.
Day 3: try Port Selwyn (days 3-4): accepted.
Day 4: try Lake Ambra Falls (fixed, days 4-7): accepted.
Day 7: try Dunmarsh (days 7-9): accepted.
Day 9: all 4 cities are placed; the plan is complete.";
        assert_eq!(s.lines.unwrap().join("\n"), expected);
        assert_eq!(count_plans(&p, 2, usize::MAX).unwrap().len(), 1);
        let plan = plan_lines(&p, &s.found[0]);
        assert_eq!(
            plan[0],
            "Day 1-3: Arriving in Harrowgate and visit Harrowgate for 3 days."
        );
        assert_eq!(plan[3], "Day 4: Fly from Port Selwyn to Lake Ambra Falls.");
        assert_eq!(plan[4], "Day 4-7: Visit Lake Ambra Falls for 4 days.");
    }

    #[test]
    fn the_trip_is_the_only_one_by_trying_every_order() {
        let mut several_words = 0;
        for seed in 0..12 {
            let inst = make(if seed % 2 == 0 { 0.2 } else { 0.5 }, 350.0, seed);
            let (cities, flights, total, plan) = from_meta(&inst.meta);
            assert!(
                cities.len() <= 8,
                "{} cities: too many to try every order",
                cities.len()
            );
            let trips = every_trip(&cities, &flights, total);
            assert_eq!(trips.len(), 1, "seed {seed}");
            let days: Vec<(String, usize, usize)> = {
                let mut day = 1;
                trips[0]
                    .iter()
                    .map(|&c| {
                        let s = (cities[c].0.clone(), day, day + cities[c].1 - 1);
                        day = s.2;
                        s
                    })
                    .collect()
            };
            assert_eq!(days, plan);
            several_words += cities.iter().filter(|c| c.0.contains(' ')).count();
        }
        assert!(several_words > 0, "some city names have several words");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

        /// The reference is the procedure the prompt states, replayed from `meta` alone: the
        /// trace, then the trip it finds, which is `meta.plan`.
        #[test]
        fn the_reference_is_the_stated_procedure(seed in 0u64..1_000_000, share in 0.1f64..0.6, aim in 150.0f64..2500.0) {
            let inst = make(share, aim, seed);
            let (cities, flights, total, plan) = from_meta(&inst.meta);
            let (trace, trip) = replay(&cities, &flights, total);
            let found: Vec<(String, usize, usize)> = trip.iter().map(|&(c, a, b)| (cities[c].0.clone(), a, b)).collect();
            proptest::prop_assert_eq!(&found, &plan);
            let mut lines = Vec::new();
            for (i, (name, a, b)) in found.iter().enumerate() {
                if i == 0 {
                    lines.push(format!("Day {a}-{b}: Arriving in {name} and visit {name} for {} days.", b - a + 1));
                } else {
                    lines.push(format!("Day {a}: Fly from {} to {name}.", found[i - 1].0));
                    lines.push(format!("Day {a}-{b}: Visit {name} for {} days.", b - a + 1));
                }
            }
            let expected = format!("<Solving Procedure>\n{}\n</Solving Procedure>\n<Plan>\n{}\n</Plan>", trace.join("\n"), lines.join("\n"));
            proptest::prop_assert_eq!(&inst.output, &expected);
            for fact in statement_of(&inst) {
                proptest::prop_assert!(inst.prompt.contains(&fact), "{}", fact);
            }
        }
    }

    /// The problem's facts, from `meta`, as the prompt must state them.
    fn statement_of(inst: &Instance) -> Vec<String> {
        let (cities, flights, total, _) = from_meta(&inst.meta);
        let mut out = vec![format!(
            "You plan to visit {} cities for {total} days in total.",
            cities.len()
        )];
        for (i, (name, days, first)) in cities.iter().enumerate() {
            let line = format!("\n{}. {name}: stay {days} days.", i + 1);
            if let Some(first) = first {
                out.push(format!(
                    "in {name} between day {first} and day {}.\n",
                    first + days - 1
                ));
            }
            out.push(line);
        }
        out.extend(
            flights
                .iter()
                .map(|&(a, b)| format!("\n{} and {}\n", cities[a].0, cities[b].0)),
        );
        out
    }

    #[test]
    fn levels_out_of_the_dials_reach_are_refused_naming_the_dial() {
        let refusal = |share: f64, aim: f64, level: u64| {
            TravelPlanning
                .instance(share, aim, Level(level), &mut SeededRng::new(1))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        // Most cities fixed: each step has few candidates, so a very long trace needs more
        // cities than are ever drawn.
        let err = refusal(0.6, 100_000.0, 32_000);
        assert!(err.starts_with("--fixed") && err.contains("32k"), "{err}");
        assert!(err.contains("use a smaller --fixed"), "{err}");
        // Three cities already write more than a few dozen tokens.
        let err = refusal(0.1, 40.0, 200);
        assert!(
            err.starts_with("--fixed") && err.contains("too long"),
            "{err}"
        );
        assert!(
            err.contains("use a larger --fixed or a larger level"),
            "{err}"
        );
    }
}
