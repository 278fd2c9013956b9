//! The original's travel-planning reference, rebuilt: the search its prompt describes, written
//! line by line in the format of the release's worked examples, then the plan.
//!
//! The problem (a record's `num_cities`, `constraints` and `connected_cities`): a stay of a
//! stated length in each city; some cities have a fixed schedule (a `fixed` constraint, right
//! after the city's `duration` one); flights are direct and one-way (`[from, to]` pairs); a
//! flight day counts for both cities, so the next stay starts on the day the last one ends.
//!
//! The search (facts from the release's worked examples): the requirements are listed, then the
//! fixed cities sorted by arrival day, then the cities left to arrange in the constraints'
//! order. From day 1, a city whose fixed schedule starts on the current day is the only option;
//! otherwise every city left is tried in order. An option is dropped when there is no direct
//! flight from the last city (the first stay needs none), or when its stay ends after the next
//! fixed schedule (later than the current day) begins. The search stops when every city is
//! placed. Lines are indented ` |- ` after as many spaces as twice the stays placed (plus one
//! for the options of a state).

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::{Map, Value};

/// Where the trip starts, as the trace names it.
const START: &str = "the starting point";

/// A record's problem, read from its fields.
pub(crate) struct Problem {
    cities: usize,
    /// Every city's stay, in the constraints' order, with its fixed schedule if it has one.
    stays: Vec<Requirement>,
    flights: HashSet<(String, String)>,
}

struct Requirement {
    city: String,
    days: i64,
    fixed: Option<(i64, i64)>,
}

/// One stay of a plan.
#[derive(Clone)]
struct Stay {
    city: String,
    days: i64,
    first: i64,
    last: i64,
}

/// A rebuilt reference: the whole output, and the plan's lines alone.
pub(crate) struct Rebuilt {
    pub text: String,
    pub plan: String,
}

/// Why a record's problem cannot be read or solved, naming the field.
pub(crate) struct Unreadable {
    pub field: &'static str,
    pub message: String,
}

fn unreadable(field: &'static str, message: impl Into<String>) -> Unreadable {
    Unreadable {
        field,
        message: message.into(),
    }
}

impl Problem {
    /// Reads `num_cities`, `constraints` (objects with `type` `duration` (`city`, `num_days`) or
    /// `fixed` (`city`, `start_day`, `end_day`)) and `connected_cities` (`[from, to]` pairs).
    pub fn read(record: &Map<String, Value>) -> Result<Problem, Unreadable> {
        let get = |key: &str| record.get(key);
        let cities = get("num_cities")
            .and_then(Value::as_u64)
            .ok_or_else(|| unreadable("num_cities", "missing or not a whole number"))?
            as usize;
        let constraints = get("constraints")
            .and_then(Value::as_array)
            .ok_or_else(|| unreadable("constraints", "missing or not a list"))?;
        let mut stays: Vec<Requirement> = Vec::new();
        for (i, c) in constraints.iter().enumerate() {
            let text = |key: &str| c.get(key).and_then(Value::as_str);
            let int = |key: &str| c.get(key).and_then(Value::as_i64);
            let bad =
                |what: &str| unreadable("constraints", format!("item {} (from 1): {what}", i + 1));
            let city = text("city").ok_or_else(|| bad("no `city` text"))?;
            match text("type") {
                Some("duration") => {
                    let days = int("num_days")
                        .filter(|&d| d > 0)
                        .ok_or_else(|| bad("no positive whole `num_days`"))?;
                    stays.push(Requirement {
                        city: city.to_string(),
                        days,
                        fixed: None,
                    });
                }
                Some("fixed") => {
                    let (Some(first), Some(last)) = (int("start_day"), int("end_day")) else {
                        return Err(bad(
                            "a fixed schedule needs whole `start_day` and `end_day`",
                        ));
                    };
                    let owner = stays
                        .iter_mut()
                        .rev()
                        .find(|s| s.city == city)
                        .ok_or_else(|| bad("a fixed schedule for a city with no stay before it"))?;
                    owner.fixed = Some((first, last));
                }
                other => {
                    return Err(bad(&format!(
                        "`type` is {}, want duration or fixed",
                        other.map_or("missing".to_string(), |t| format!("`{t}`"))
                    )))
                }
            }
        }
        let pairs = get("connected_cities")
            .and_then(Value::as_array)
            .ok_or_else(|| unreadable("connected_cities", "missing or not a list"))?;
        let mut flights = HashSet::new();
        for (i, p) in pairs.iter().enumerate() {
            let pair = p
                .as_array()
                .filter(|p| p.len() == 2)
                .and_then(|p| Some((p[0].as_str()?, p[1].as_str()?)))
                .ok_or_else(|| {
                    unreadable(
                        "connected_cities",
                        format!("item {} (from 1): want [from city, to city]", i + 1),
                    )
                })?;
            flights.insert((pair.0.to_string(), pair.1.to_string()));
        }
        Ok(Problem {
            cities,
            stays,
            flights,
        })
    }

    /// The search and the plan, or why there is none.
    pub fn rebuild(&self) -> Result<Rebuilt, Unreadable> {
        let mut log: Vec<String> = vec![
            "Read the requirements and identify the cities that have fixed schedules and the cities that need to be arranged.".into(),
        ];
        for s in &self.stays {
            log.push(match s.fixed {
                Some((a, b)) => format!(
                    "* City: {}, Duration: {} days, Fixed Schedule: Day {a} - {b}.",
                    s.city, s.days
                ),
                None => format!("* City: {}, Duration: {} days.", s.city, s.days),
            });
        }
        log.push(String::new());
        // Sorted by arrival day; a stable sort keeps the constraints' order among equal days.
        let mut fixed: Vec<Stay> = self
            .stays
            .iter()
            .filter_map(|s| {
                s.fixed.map(|(first, last)| Stay {
                    city: s.city.clone(),
                    days: last - first + 1,
                    first,
                    last,
                })
            })
            .collect();
        fixed.sort_by_key(|s| s.first);
        if fixed.is_empty() {
            log.push("Cities that have fixed schedules: None.".into());
        } else {
            log.push("Cities that have fixed schedules (sorted by their arrival days):".into());
            for f in &fixed {
                log.push(format!(
                    "* City: {}, Fixed Schedule: Day {} - {}.",
                    f.city, f.first, f.last
                ));
            }
        }
        log.push(String::new());
        let free: Vec<&Requirement> = self.stays.iter().filter(|s| s.fixed.is_none()).collect();
        if free.is_empty() {
            log.push("Cities needing arrangement: None.".into());
        } else {
            log.push("Cities needing arrangement:".into());
            for f in &free {
                log.push(format!("* City: {}, Duration: {} days.", f.city, f.days));
            }
        }
        log.push(String::new());
        let mut search = Search {
            problem: self,
            fixed: &fixed,
            log,
        };
        let plan = search
            .day(1, &[], &free)?
            .ok_or_else(|| unreadable("constraints", "the search finds no plan"))?;
        let plan = plan_lines(&plan);
        let text = format!(
            "<Solving Procedure>\n{}\n</Solving Procedure>\n\nOutput the plan in the required format:\n<Plan>\n{plan}\n</Plan>",
            search.log.join("\n")
        );
        Ok(Rebuilt { text, plan })
    }
}

struct Search<'a> {
    problem: &'a Problem,
    fixed: &'a [Stay],
    log: Vec<String>,
}

impl Search<'_> {
    fn say(&mut self, depth: usize, text: String) {
        let mut line = indent(depth);
        line.push_str(&text);
        self.log.push(line);
    }

    /// The state on `day` with `placed` stays and `free` cities left; the plan when one is found.
    fn day(
        &mut self,
        day: i64,
        placed: &[Stay],
        free: &[&Requirement],
    ) -> Result<Option<Vec<Stay>>, Unreadable> {
        let depth = placed.len() * 2;
        let names: Vec<&str> = placed.iter().map(|s| s.city.as_str()).collect();
        self.say(
            depth,
            format!("Current day: {day}. Current plan: [{}].", names.join(", ")),
        );
        if placed.len() == self.problem.cities {
            self.say(
                depth,
                format!(
                    "All {} cities are arranged. Complete plan is found!",
                    self.problem.cities
                ),
            );
            return Ok(Some(placed.to_vec()));
        }
        self.say(
            depth,
            format!("Check whether the city with an arrival day of Day {day} - is fixed."),
        );
        let options: Vec<Stay> = match self.fixed.iter().find(|f| f.first == day) {
            Some(f) => {
                self.say(
                    depth,
                    format!(
                        "Yes. The city with an arrival day of Day {day} - is fixed: {}.",
                        f.city
                    ),
                );
                vec![f.clone()]
            }
            None => {
                let names: Vec<&str> = free.iter().map(|f| f.city.as_str()).collect();
                self.say(
                    depth,
                    format!(
                        "No. Consider possible options from cities needing arrangement: [{}] and explore these options in order.",
                        names.join(", ")
                    ),
                );
                free.iter()
                    .map(|f| Stay {
                        city: f.city.clone(),
                        days: f.days,
                        first: day,
                        last: day + f.days - 1,
                    })
                    .collect()
            }
        };
        let from = placed.last().map_or(START, |s| s.city.as_str()).to_string();
        let next_fixed = self.fixed.iter().find(|f| f.first > day).cloned();
        let depth = depth + 1;
        for option in options {
            let city = option.city.clone();
            self.say(
                depth,
                format!(
                    "Try arranging to visit {city} from Day {day}. Duration: {} days. Schedule: Day {day} - {}.",
                    option.days,
                    day + option.days - 1
                ),
            );
            self.say(
                depth,
                format!("Check for direct flight from {from} to {city}."),
            );
            if placed.is_empty() || self.problem.flights.contains(&(from.clone(), city.clone())) {
                self.say(depth, "Yes.".into());
            } else {
                self.say(depth, "No. Drop this branch.".into());
                continue;
            }
            let check =
                "Check whether this arrangement is compatible with the next fixed schedule after";
            match &next_fixed {
                None => {
                    self.say(depth, format!("{check} Day {day}: None."));
                    self.say(
                        depth,
                        "No following fixed schedules. This arrangement is compatible.".into(),
                    );
                }
                Some(f) => {
                    self.say(
                        depth,
                        format!(
                            "{check} Day {day}: {} (Day {} - {}).",
                            f.city, f.first, f.last
                        ),
                    );
                    if f.first == option.first {
                        return Err(unreadable(
                            "constraints",
                            format!(
                                "two stays would begin on day {} ({} and {city})",
                                f.first, f.city
                            ),
                        ));
                    }
                    let (leave, arrive) = (option.last, f.first);
                    let before = format!(
                        "The departure day of {city} is Day {leave}. The arrival day of {} is Day {arrive}. Day {leave} is",
                        f.city
                    );
                    if arrive < leave {
                        self.say(depth, format!("{before} later than (>) Day {arrive}. This arrangement is incompatible. Drop this branch."));
                        continue;
                    }
                    self.say(depth, format!("{before} not later than (<=) Day {arrive}. This arrangement is compatible."));
                }
            }
            self.say(
                depth,
                "This arrangement is feasible for now. Continue to arrange the rest of the plan."
                    .into(),
            );
            let mut next = placed.to_vec();
            let last = option.last;
            next.push(option);
            let left: Vec<&Requirement> = free.iter().copied().filter(|f| f.city != city).collect();
            if let Some(plan) = self.day(last, &next, &left)? {
                return Ok(Some(plan));
            }
        }
        self.say(
            depth,
            format!(
                "Fail to arrange any option on day {day} in the current arrangement. Drop this branch."
            ),
        );
        Ok(None)
    }
}

/// The plan as the release writes it: a stay line per city, a flight line between two.
fn plan_lines(plan: &[Stay]) -> String {
    let mut out = String::new();
    for (i, s) in plan.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (c, n) = (&s.city, s.days);
        let _ = if i == 0 {
            write!(
                out,
                "**Day {}-{}:** Arriving in {c} and visit {c} for {n} days.",
                s.first, s.last
            )
        } else {
            write!(
                out,
                "**Day {}-{}:** Visit {c} for {n} days.",
                s.first, s.last
            )
        };
        if let Some(next) = plan.get(i + 1) {
            let _ = write!(out, "\n**Day {}:** Fly from {c} to {}.", s.last, next.city);
        }
    }
    out
}

/// Nothing at depth 0, else `depth` spaces and `|- `.
fn indent(depth: usize) -> String {
    if depth == 0 {
        String::new()
    } else {
        format!("{}|- ", " ".repeat(depth))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problem(record: Value) -> Problem {
        Problem::read(record.as_object().expect("an object"))
            .unwrap_or_else(|e| panic!("{}: {}", e.field, e.message))
    }

    /// Three cities, one fixed: Alba first is dropped (it would run into the fixed stay), so
    /// the search tries Bree, then must place the fixed city, then Alba.
    #[test]
    fn a_small_search_is_written_line_by_line() {
        let p = problem(json!({
            "num_cities": 3,
            "constraints": [
                {"type": "duration", "city": "Alba", "num_days": 4},
                {"type": "duration", "city": "Bree", "num_days": 2},
                {"type": "duration", "city": "Cair Andros", "num_days": 3},
                {"type": "fixed", "city": "Cair Andros", "start_day": 2, "end_day": 4},
            ],
            "connected_cities": [["Bree", "Cair Andros"], ["Cair Andros", "Alba"]],
        }));
        let r = p.rebuild().unwrap_or_else(|e| panic!("{}", e.message));
        let expected = "\
<Solving Procedure>
Read the requirements and identify the cities that have fixed schedules and the cities that need to be arranged.
* City: Alba, Duration: 4 days.
* City: Bree, Duration: 2 days.
* City: Cair Andros, Duration: 3 days, Fixed Schedule: Day 2 - 4.

Cities that have fixed schedules (sorted by their arrival days):
* City: Cair Andros, Fixed Schedule: Day 2 - 4.

Cities needing arrangement:
* City: Alba, Duration: 4 days.
* City: Bree, Duration: 2 days.

Current day: 1. Current plan: [].
Check whether the city with an arrival day of Day 1 - is fixed.
No. Consider possible options from cities needing arrangement: [Alba, Bree] and explore these options in order.
 |- Try arranging to visit Alba from Day 1. Duration: 4 days. Schedule: Day 1 - 4.
 |- Check for direct flight from the starting point to Alba.
 |- Yes.
 |- Check whether this arrangement is compatible with the next fixed schedule after Day 1: Cair Andros (Day 2 - 4).
 |- The departure day of Alba is Day 4. The arrival day of Cair Andros is Day 2. Day 4 is later than (>) Day 2. This arrangement is incompatible. Drop this branch.
 |- Try arranging to visit Bree from Day 1. Duration: 2 days. Schedule: Day 1 - 2.
 |- Check for direct flight from the starting point to Bree.
 |- Yes.
 |- Check whether this arrangement is compatible with the next fixed schedule after Day 1: Cair Andros (Day 2 - 4).
 |- The departure day of Bree is Day 2. The arrival day of Cair Andros is Day 2. Day 2 is not later than (<=) Day 2. This arrangement is compatible.
 |- This arrangement is feasible for now. Continue to arrange the rest of the plan.
  |- Current day: 2. Current plan: [Bree].
  |- Check whether the city with an arrival day of Day 2 - is fixed.
  |- Yes. The city with an arrival day of Day 2 - is fixed: Cair Andros.
   |- Try arranging to visit Cair Andros from Day 2. Duration: 3 days. Schedule: Day 2 - 4.
   |- Check for direct flight from Bree to Cair Andros.
   |- Yes.
   |- Check whether this arrangement is compatible with the next fixed schedule after Day 2: None.
   |- No following fixed schedules. This arrangement is compatible.
   |- This arrangement is feasible for now. Continue to arrange the rest of the plan.
    |- Current day: 4. Current plan: [Bree, Cair Andros].
    |- Check whether the city with an arrival day of Day 4 - is fixed.
    |- No. Consider possible options from cities needing arrangement: [Alba] and explore these options in order.
     |- Try arranging to visit Alba from Day 4. Duration: 4 days. Schedule: Day 4 - 7.
     |- Check for direct flight from Cair Andros to Alba.
     |- Yes.
     |- Check whether this arrangement is compatible with the next fixed schedule after Day 4: None.
     |- No following fixed schedules. This arrangement is compatible.
     |- This arrangement is feasible for now. Continue to arrange the rest of the plan.
      |- Current day: 7. Current plan: [Bree, Cair Andros, Alba].
      |- All 3 cities are arranged. Complete plan is found!
</Solving Procedure>

Output the plan in the required format:
<Plan>
**Day 1-2:** Arriving in Bree and visit Bree for 2 days.
**Day 2:** Fly from Bree to Cair Andros.
**Day 2-4:** Visit Cair Andros for 3 days.
**Day 4:** Fly from Cair Andros to Alba.
**Day 4-7:** Visit Alba for 4 days.
</Plan>";
        assert_eq!(r.text, expected);
    }

    #[test]
    fn flights_are_one_way() {
        let record = |flights: Value| {
            json!({
                "num_cities": 2,
                "constraints": [
                    {"type": "duration", "city": "Alba", "num_days": 2},
                    {"type": "duration", "city": "Bree", "num_days": 2},
                ],
                "connected_cities": flights,
            })
        };
        let forward = problem(record(json!([["Alba", "Bree"]]))).rebuild();
        assert!(forward.is_ok_and(|r| r.plan.starts_with("**Day 1-2:** Arriving in Alba")));
        // Only Bree -> Alba: Alba first finds no flight on; Bree first flies to Alba.
        let back = problem(record(json!([["Bree", "Alba"]]))).rebuild();
        assert!(back.is_ok_and(|r| r.plan.starts_with("**Day 1-2:** Arriving in Bree")));
        let none = problem(record(json!([]))).rebuild();
        assert!(none.is_err_and(|e| e.message.contains("no plan")));
    }

    #[test]
    fn bad_fields_are_named() {
        let err = |record: Value| match Problem::read(record.as_object().expect("an object")) {
            Ok(_) => panic!("read"),
            Err(e) => format!("{}: {}", e.field, e.message),
        };
        let e = err(
            json!({"num_cities": 1, "constraints": [{"type": "fixed", "city": "A", "start_day": 1, "end_day": 2}], "connected_cities": []}),
        );
        assert!(
            e.starts_with("constraints: item 1") && e.contains("no stay before it"),
            "{e}"
        );
        let e = err(json!({"num_cities": 1, "constraints": [], "connected_cities": [["A"]]}));
        assert!(e.starts_with("connected_cities: item 1"), "{e}");
        let e = err(json!({"constraints": []}));
        assert!(e.starts_with("num_cities"), "{e}");
    }
}
