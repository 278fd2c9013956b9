//! `travel_plan`: LongProc travel planning, the search in a `<Solving Procedure>` block, then the
//! trip in a `<Plan>` block, one line a stay or a flight:
//!
//! ```text
//! Day 1-4: Arriving in Port Valmora and visit Port Valmora for 4 days.
//! Day 4: Fly from Port Valmora to Lake Dunmere Falls.
//! Day 4-6: Visit Lake Dunmere Falls for 3 days.
//! ```
//!
//! `accuracy` is whether the plan's stays, (city, first day, last day) in trip order, are the
//! reference's: a plan with a city more or a city less is wrong (the original ignored cities
//! beyond the reference's), and a city name is everything between `visit` and `for N days`, so
//! names of several words are read whole (the original's parser took one word). The flight
//! lines follow from the stays; when a plan writes them they must be exactly the reference's,
//! and a plan may leave them all out. The stated length (`for N days`) must match the days.
//!
//! Lines are read leniently about form, strictly about content: markdown emphasis (`**`), list
//! markers (`- `), a final period, case and runs of white space do not matter; `Days` for
//! `Day` and an en dash for the hyphen are accepted. Lines of the block that do not begin with
//! `Day` are ignored; a `Day` line that reads as neither a stay nor a flight makes the plan
//! wrong (and not extracted), never the scorer fail.
//!
//! Partial credit is line credit (`procedure.rs`) on the search: the lines of the last
//! `<Solving Procedure>` block against the reference's.

use longforge_datasets::Sample;
use serde_json::json;

use super::procedure::{self, last_block, lines, normalise_line, LineCredit};
use super::{reference_value, Scored, Scorer};
use crate::JudgeError;

const OPEN: &str = "<Plan>";
const CLOSE: &str = "</Plan>";
const PROCEDURE_OPEN: &str = "<Solving Procedure>";
const PROCEDURE_CLOSE: &str = "</Solving Procedure>";

/// Reads references of kind `travel_plan`: the reference output as a string, a
/// `<Solving Procedure>` block and a `<Plan>` block in the form above.
///
/// Values, each in [0, 1]:
/// - `accuracy` (headline): 1 when the last `<Plan>` block's stays are the reference's (and its
///   flights, if written, too).
/// - `prefix_credit`, `resync_credit`: line credit on the search (see `procedure.rs`).
/// - `extraction_rate`: 1 when the output has a `<Plan>` block with at least one `Day` line and
///   every `Day` line read.
pub struct TravelPlan;

impl Scorer for TravelPlan {
    fn name(&self) -> &'static str {
        "travel_plan"
    }

    fn summary(&self) -> &'static str {
        "LongProc travel planning: the <Plan> block's stays equal the reference's, no city more or less (accuracy), with line credit on the search"
    }

    fn reads(&self) -> &'static [&'static str] {
        &["travel_plan"]
    }

    fn values(&self) -> &'static [&'static str] {
        procedure::VALUES
    }

    fn score(&self, sample: &Sample, output: &str) -> Result<Scored, JudgeError> {
        let reference: String = reference_value(self, sample)?;
        let bad = |message: String| JudgeError::Reference {
            sample_id: sample.id.clone(),
            scorer: self.name(),
            message,
        };
        let gold = last_block(&reference, OPEN, CLOSE)
            .ok_or_else(|| bad("the reference has no <Plan> block".into()))
            .and_then(|b| read_plan(b).map_err(|e| bad(format!("the reference's plan: {e}"))))?;
        let credit = LineCredit::of(&procedure(&reference), &procedure(output));
        let block = last_block(output, OPEN, CLOSE);
        let read = block.map(read_plan);
        let (right, first_wrong) = match &read {
            Some(Ok(plan)) => compare(&gold, plan),
            _ => (false, None),
        };
        let extracted = matches!(read, Some(Ok(_)));
        let mut values = procedure::values(right, &credit, extracted);
        if credit.reference_lines == 0 {
            // An imported record holds no procedure to compare with (`meta.rebuilt`): line
            // credit would be 1 for any answer without one, so it follows the plan instead.
            for (name, value) in values.iter_mut() {
                if name.ends_with("_credit") {
                    *value = if right { 1.0 } else { 0.0 };
                }
            }
        }
        Ok(Scored {
            values,
            answer: block.map(|b| lines(b).join("\n")),
            details: json!({
                "extracted": extracted,
                "plan_error": read.and_then(Result::err),
                "first_wrong_stay": first_wrong,
                "reference_lines": credit.reference_lines,
                "output_lines": credit.output_lines,
                "matched_prefix": credit.matched_prefix,
                "aligned": credit.aligned,
            }),
        })
    }

    fn perfect_answer(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }

    /// Each pick is one plan line (`meta.baseline.candidates`), written in a `<Plan>` block.
    fn render_answer(&self, _sample: &Sample, picks: &[String]) -> String {
        format!("{OPEN}\n{}\n{CLOSE}", picks.join("\n"))
    }

    fn reference_text(&self, sample: &Sample) -> Result<String, JudgeError> {
        reference_value(self, sample)
    }
}

/// One stay of a plan: the city (normalised: white space collapsed, lower case), first and last
/// day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stay {
    city: String,
    first: u32,
    last: u32,
}

/// A flight line: the day, the city left and the city reached (normalised).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Flight {
    day: u32,
    from: String,
    to: String,
}

#[derive(Debug, Default, PartialEq)]
struct Plan {
    stays: Vec<Stay>,
    flights: Vec<Flight>,
}

/// Whether `plan` is `gold`, and if not, the first stay (1-based) that differs.
fn compare(gold: &Plan, plan: &Plan) -> (bool, Option<usize>) {
    let first_wrong = gold
        .stays
        .iter()
        .zip(&plan.stays)
        .position(|(g, p)| g != p)
        .or_else(|| {
            (gold.stays.len() != plan.stays.len()).then(|| gold.stays.len().min(plan.stays.len()))
        })
        .map(|i| i + 1);
    let flights_ok = plan.flights.is_empty() || plan.flights == gold.flights;
    (first_wrong.is_none() && flights_ok, first_wrong)
}

/// The search of an answer: the lines of its last `<Solving Procedure>` block, cut at a
/// `<Plan>` tag when the block was never closed.
fn procedure(text: &str) -> Vec<String> {
    let Some(block) = last_block(text, PROCEDURE_OPEN, PROCEDURE_CLOSE) else {
        return Vec::new();
    };
    let lower = block.to_ascii_lowercase();
    let end = lower
        .find(&OPEN.to_ascii_lowercase())
        .unwrap_or(block.len());
    lines(&block[..end])
}

/// Reads a `<Plan>` block's `Day` lines; `Err` names the first that reads as neither a stay
/// nor a flight, or says there was none.
fn read_plan(block: &str) -> Result<Plan, String> {
    let mut plan = Plan::default();
    for raw in block.lines() {
        let line = clean(raw);
        let lower = line.to_lowercase();
        if !lower.starts_with("day") {
            continue;
        }
        let bad = || format!("`{}` is neither a stay nor a flight", normalise_line(raw));
        let rest = lower
            .strip_prefix("days")
            .or_else(|| lower.strip_prefix("day"))
            .ok_or_else(bad)?;
        let (days, text) = rest.split_once(':').ok_or_else(bad)?;
        let text = text.trim();
        let days = days.trim().replace('–', "-");
        match days.split_once('-') {
            Some((a, b)) => {
                let first = number(a).ok_or_else(bad)?;
                let last = number(b).ok_or_else(bad)?;
                let start = text.rfind("visit ").ok_or_else(bad)? + "visit ".len();
                let (city, length) = text[start..].rsplit_once(" for ").ok_or_else(bad)?;
                let length = length
                    .strip_suffix("days")
                    .or_else(|| length.strip_suffix("day"))
                    .and_then(number)
                    .ok_or_else(bad)?;
                let city = normalise_line(city);
                if city.is_empty() || last < first || length != last - first + 1 {
                    return Err(bad());
                }
                plan.stays.push(Stay { city, first, last });
            }
            None => {
                let day = number(&days).ok_or_else(bad)?;
                let route = text.strip_prefix("fly from ").ok_or_else(bad)?;
                let (from, to) = route.split_once(" to ").ok_or_else(bad)?;
                let (from, to) = (normalise_line(from), normalise_line(to));
                if from.is_empty() || to.is_empty() {
                    return Err(bad());
                }
                plan.flights.push(Flight { day, from, to });
            }
        }
    }
    if plan.stays.is_empty() && plan.flights.is_empty() {
        return Err("the plan has no `Day` line".into());
    }
    Ok(plan)
}

/// A line without markdown emphasis, a list marker or a final period.
fn clean(line: &str) -> String {
    let text = line.replace("**", "").replace("__", "");
    let text = text.trim();
    let text = text
        .strip_prefix("- ")
        .or_else(|| text.strip_prefix("* "))
        .unwrap_or(text)
        .trim();
    text.strip_suffix('.').unwrap_or(text).trim().to_string()
}

/// A whole number of days, white space around it allowed.
fn number(text: &str) -> Option<u32> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::Reference;
    use serde_json::Value;

    const REFERENCE: &str = "\
<Solving Procedure>
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
Day 9: all 4 cities are placed; the plan is complete.
</Solving Procedure>
<Plan>
Day 1-3: Arriving in Harrowgate and visit Harrowgate for 3 days.
Day 3: Fly from Harrowgate to Port Selwyn.
Day 3-4: Visit Port Selwyn for 2 days.
Day 4: Fly from Port Selwyn to Lake Ambra Falls.
Day 4-7: Visit Lake Ambra Falls for 4 days.
Day 7: Fly from Lake Ambra Falls to Dunmarsh.
Day 7-9: Visit Dunmarsh for 3 days.
</Plan>";

    fn sample() -> Sample {
        serde_json::from_value(json!({
            "id": "tp/0", "family": "longproc", "task": "travel-planning", "lang": "en",
            "question": "q", "prompt": "p",
            "reference": Reference { kind: "travel_plan".into(), value: Value::String(REFERENCE.into()) },
            "meta": {}
        }))
        .unwrap()
    }

    fn values(output: &str) -> Vec<f64> {
        TravelPlan
            .score(&sample(), output)
            .unwrap()
            .values
            .iter()
            .map(|v| v.1)
            .collect()
    }

    fn with_plan(plan: &str) -> String {
        let procedure = REFERENCE.split("<Plan>").next().unwrap();
        format!("{procedure}<Plan>\n{plan}\n</Plan>")
    }

    fn gold_plan() -> String {
        REFERENCE
            .split("<Plan>\n")
            .nth(1)
            .unwrap()
            .replace("\n</Plan>", "")
    }

    /// An imported record keeps the original's plan without a search to compare: line credit
    /// follows the plan, never 1 for an answer that holds neither.
    #[test]
    fn a_reference_without_a_procedure_gives_credit_only_to_the_right_plan() {
        let plan_only = format!("<Plan>\n{}\n</Plan>", gold_plan());
        let mut imported = sample();
        imported.reference.value = Value::String(plan_only.clone());
        let values = |output: &str| -> Vec<f64> {
            TravelPlan
                .score(&imported, output)
                .unwrap()
                .values
                .iter()
                .map(|v| v.1)
                .collect()
        };
        assert_eq!(values("I don't know."), [0.0; 4]);
        assert_eq!(values(&plan_only), [1.0; 4]);
        assert_eq!(values(REFERENCE), [1.0; 4]);
        let wrong = plan_only.replace("Dunmarsh for 3 days", "Dunmarsh for 4 days");
        assert_eq!(values(&wrong)[..3], [0.0; 3]);
    }

    #[test]
    fn the_reference_scores_exactly_one_in_any_dress() {
        assert_eq!(values(REFERENCE), [1.0, 1.0, 1.0, 1.0]);
        assert_eq!(
            values(&TravelPlan.perfect_answer(&sample()).unwrap()),
            [1.0; 4]
        );
        // Bold, list markers, indentation, no final periods, other case, an en dash, a
        // heading line and a preamble: the same plan and search.
        let dressed: String = REFERENCE
            .lines()
            .map(|l| {
                if l.starts_with("Day") && l.contains('-') && l.contains("visit") {
                    let (days, rest) = l.split_once(':').unwrap();
                    format!(
                        "- **{}:** {}",
                        days.replace('-', "–"),
                        rest.trim_end_matches('.').to_uppercase()
                    )
                } else {
                    format!("   {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            .replace("<Plan>", "<Plan>\nHere is the plan:");
        assert_eq!(values(&format!("Let me plan.\n{dressed}")), [1.0; 4]);
        // The flights may be left out: they follow from the stays.
        let gold = gold_plan();
        let stays_only: Vec<&str> = gold.lines().filter(|l| !l.contains("Fly")).collect();
        let stays_only = stays_only.join("\n");
        assert_eq!(values(&with_plan(&stays_only))[0], 1.0);
    }

    #[test]
    fn names_of_several_words_are_read_whole() {
        let plan = read_plan(&gold_plan()).unwrap();
        assert_eq!(plan.stays[2].city, "lake ambra falls");
        assert_eq!(plan.flights[1].to, "lake ambra falls");
        // A plan naming only the last word of the city is wrong.
        let short = gold_plan().replace("Lake Ambra Falls", "Falls");
        assert_eq!(values(&with_plan(&short))[0], 0.0);
        let other = gold_plan().replace("Visit Lake Ambra Falls", "Visit Lake Ambra");
        assert_eq!(values(&with_plan(&other))[0], 0.0);
    }

    #[test]
    fn a_city_more_or_less_is_wrong() {
        let extra = format!(
            "{}\nDay 9: Fly from Dunmarsh to Orvik.\nDay 9-10: Visit Orvik for 2 days.",
            gold_plan()
        );
        assert_eq!(values(&with_plan(&extra)), [0.0, 1.0, 1.0, 1.0]);
        let gold = gold_plan();
        let missing: Vec<&str> = gold.lines().take(5).collect();
        assert_eq!(values(&with_plan(&missing.join("\n")))[0], 0.0);
        // The same city twice in place of another.
        let twice = gold_plan().replace("Visit Dunmarsh", "Visit Harrowgate");
        assert_eq!(values(&with_plan(&twice))[0], 0.0);
    }

    #[test]
    fn wrong_days_flights_or_lengths_are_wrong() {
        for (from, to) in [
            ("Day 4-7: Visit Lake", "Day 5-8: Visit Lake"),
            (
                "Day 7: Fly from Lake Ambra Falls to Dunmarsh",
                "Day 7: Fly from Lake Ambra Falls to Harrowgate",
            ),
            ("Day 3: Fly", "Day 2: Fly"),
            ("for 3 days.\nDay 3: Fly", "for 4 days.\nDay 3: Fly"),
        ] {
            let plan = gold_plan().replacen(from, to, 1);
            assert_ne!(plan, gold_plan(), "{from}");
            assert_eq!(values(&with_plan(&plan))[0], 0.0, "{to}");
        }
        // Order counts.
        let gold = gold_plan();
        let lines: Vec<&str> = gold.lines().collect();
        let mut swapped = lines.clone();
        swapped.swap(2, 6);
        assert_eq!(values(&with_plan(&swapped.join("\n")))[0], 0.0);
    }

    #[test]
    fn malformed_or_missing_plans_score_zero_and_never_fail() {
        for bad in [
            "Day 1-3: Harrowgate.",
            "Day one: Fly from A to B.",
            "Day 3: Walk from Harrowgate to Port Selwyn.",
            "Day 3-1: Visit Harrowgate for 3 days.",
            "Day 1-3: Visit  for 3 days.",
            "Day 1-3 Visit Harrowgate for 3 days.",
            "",
            "no days here",
        ] {
            let v = values(&with_plan(bad));
            assert_eq!((v[0], v[3]), (0.0, 0.0), "{bad}");
        }
        assert_eq!(values(""), [0.0, 0.0, 0.0, 0.0]);
        assert_eq!(values("<Plan>"), [0.0, 0.0, 0.0, 0.0]);
        // A plan without the search: right, no credit on the search.
        assert_eq!(
            values(&format!("<Plan>\n{}\n</Plan>", gold_plan())),
            [1.0, 0.0, 0.0, 1.0]
        );
    }

    #[test]
    fn search_credit_resynchronises_and_an_unclosed_search_stops_at_the_plan() {
        let slip = REFERENCE.replacen(
            "ends after day 4, rejected.\nDay 3: try Port",
            "accepted.\nDay 3: try Port",
            1,
        );
        let v = values(&slip);
        assert_eq!(v[0], 1.0);
        assert_eq!(v[1], 2.0 / 11.0);
        assert_eq!(v[2], 10.0 / 11.0);
        let unclosed = REFERENCE.replace("</Solving Procedure>\n", "");
        assert_eq!(values(&unclosed), [1.0; 4]);
    }

    #[test]
    fn a_reference_without_a_plan_is_an_error_naming_the_sample() {
        let mut s = sample();
        s.reference.value = Value::String("<Solving Procedure>\n</Solving Procedure>".into());
        let err = TravelPlan.score(&s, REFERENCE).unwrap_err().to_string();
        assert!(err.contains("tp/0") && err.contains("<Plan>"), "{err}");
    }

    mod generated {
        use super::*;
        use longforge_datasets::{TokenCounter, TokenizerSpec};
        use longforge_generators::{family, Inputs};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

            /// Every generated reference scores 1.0 under this checker and is within 25% of its
            /// level in tokens; its plan is the one in `meta.plan`.
            #[test]
            fn generated_references_score_one_and_fit_their_level(seed in 0u64..1_000_000, fixed in prop::sample::select(vec![0.2f64, 0.5])) {
                let longproc = family("longproc").unwrap();
                let params = json!({"task": "travel-planning", "levels": ["0.5k", "2k", "8k"], "fixed": [fixed], "seed": seed});
                let resolved = longproc.resolve(params, &Inputs::default()).unwrap();
                let samples = longproc.generate(&resolved, &Inputs::default(), &mut |_, _| {}).unwrap().samples;
                prop_assert_eq!(samples.len(), 3);
                let counter = TokenCounter::load(&TokenizerSpec::parse("cl100k_base")).unwrap();
                for s in &samples {
                    let perfect = TravelPlan.perfect_answer(s).unwrap();
                    let scored = TravelPlan.score(s, &perfect).unwrap();
                    prop_assert!(scored.values.iter().all(|v| v.1 == 1.0), "{}: {:?}", s.id, scored.values);
                    let level = s.meta["target_tokens"].as_f64().unwrap();
                    let got = counter.count(&perfect).unwrap() as f64;
                    prop_assert_eq!(s.meta["output_tokens"].as_f64(), Some(got));
                    prop_assert!((got - level).abs() <= 0.25 * level, "{}: {} tokens", s.id, got);
                    let plan = read_plan(last_block(&perfect, OPEN, CLOSE).unwrap()).unwrap();
                    let meta: Vec<(String, u64, u64)> = s.meta["plan"].as_array().unwrap().iter().map(|p| (
                        p["city"].as_str().unwrap().to_lowercase(),
                        p["first_day"].as_u64().unwrap(),
                        p["last_day"].as_u64().unwrap(),
                    )).collect();
                    let read: Vec<(String, u64, u64)> = plan.stays.iter().map(|st| (st.city.clone(), st.first as u64, st.last as u64)).collect();
                    prop_assert_eq!(read, meta);
                }
            }
        }
    }
}
