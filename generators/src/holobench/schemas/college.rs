//! `college`: a university's departments, instructors, courses and students (after Spider's
//! `college_2`, with invented people and buildings).
//!
//! - `departments` (24): name, building, budget (dollars), founded.
//! - `instructors` (1,600): name, department, academic_rank, salary (dollars), hired (a date),
//!   office (some null).
//! - `courses` (1,800): code (`PHYS 241`), title, department, credits, instructor (some null:
//!   not yet assigned), capacity. `instructor` names a row of `instructors` of the same
//!   department.
//! - `students` (2,000): name, major (a department), enrolled (a date), gpa, credits_earned,
//!   advisor (some null; an instructor of the major's department).
//!
//! Salaries follow rank and field (economics and engineering pay more than the humanities);
//! hiring dates follow rank; introductory courses are large and seminars small; students enrol
//! mostly in late August.

use std::collections::HashSet;

use longforge_datasets::{derive_seed, SeededRng};

use super::words::{
    cents, day_between, days, int, iso, log_normal, normal, or_null, person, skewed_index, text,
    unique, weighted, whole, SURNAMES,
};
use super::{Schema, Spec};
use crate::holobench::db::{Column, ColumnKind, Database, Query, QueryKind, Table};

pub const SCHEMA: Schema = Schema {
    name: "college",
    build,
    templates: TEMPLATES,
    queries,
};

/// A department: name, course prefix, weight (its share of staff, courses and students),
/// salary factor, and the topics its courses are about.
struct Department {
    name: &'static str,
    prefix: &'static str,
    weight: u32,
    pay: f64,
    topics: [&'static str; 6],
}

const fn dept(
    name: &'static str,
    prefix: &'static str,
    weight: u32,
    pay: f64,
    topics: [&'static str; 6],
) -> Department {
    Department {
        name,
        prefix,
        weight,
        pay,
        topics,
    }
}

const DEPARTMENTS: &[Department] = &[
    dept(
        "Mathematics",
        "MATH",
        6,
        1.05,
        [
            "Calculus",
            "Linear Algebra",
            "Real Analysis",
            "Number Theory",
            "Topology",
            "Differential Equations",
        ],
    ),
    dept(
        "Physics",
        "PHYS",
        5,
        1.05,
        [
            "Mechanics",
            "Electromagnetism",
            "Quantum Mechanics",
            "Thermodynamics",
            "Optics",
            "Particle Physics",
        ],
    ),
    dept(
        "Chemistry",
        "CHEM",
        5,
        1.05,
        [
            "Organic Chemistry",
            "Physical Chemistry",
            "Inorganic Chemistry",
            "Biochemistry",
            "Analytical Chemistry",
            "Polymer Chemistry",
        ],
    ),
    dept(
        "Biology",
        "BIOL",
        7,
        1.05,
        [
            "Cell Biology",
            "Genetics",
            "Ecology",
            "Evolution",
            "Microbiology",
            "Neurobiology",
        ],
    ),
    dept(
        "Computer Science",
        "COMP",
        8,
        1.3,
        [
            "Algorithms",
            "Operating Systems",
            "Databases",
            "Machine Learning",
            "Computer Networks",
            "Compilers",
        ],
    ),
    dept(
        "Economics",
        "ECON",
        6,
        1.3,
        [
            "Microeconomics",
            "Macroeconomics",
            "Econometrics",
            "Game Theory",
            "Labor Economics",
            "Public Finance",
        ],
    ),
    dept(
        "History",
        "HIST",
        5,
        0.85,
        [
            "Ancient Rome",
            "Medieval Europe",
            "Modern China",
            "American Revolution",
            "Colonial Latin America",
            "World War Two",
        ],
    ),
    dept(
        "English",
        "ENGL",
        5,
        0.85,
        [
            "Shakespeare",
            "Victorian Novel",
            "Modern Poetry",
            "Creative Writing",
            "Literary Theory",
            "American Fiction",
        ],
    ),
    dept(
        "Philosophy",
        "PHIL",
        4,
        0.85,
        [
            "Ethics",
            "Logic",
            "Metaphysics",
            "Epistemology",
            "Philosophy of Mind",
            "Political Philosophy",
        ],
    ),
    dept(
        "Psychology",
        "PSYC",
        6,
        0.95,
        [
            "Cognitive Psychology",
            "Developmental Psychology",
            "Social Psychology",
            "Abnormal Psychology",
            "Research Methods",
            "Perception",
        ],
    ),
    dept(
        "Sociology",
        "SOCI",
        3,
        0.9,
        [
            "Social Theory",
            "Urban Sociology",
            "Sociology of Religion",
            "Inequality",
            "Population Studies",
            "Social Networks",
        ],
    ),
    dept(
        "Political Science",
        "POLS",
        4,
        0.95,
        [
            "Comparative Politics",
            "International Relations",
            "Political Theory",
            "Public Policy",
            "Elections",
            "Constitutional Law",
        ],
    ),
    dept(
        "Linguistics",
        "LING",
        2,
        0.9,
        [
            "Phonetics",
            "Syntax",
            "Semantics",
            "Sociolinguistics",
            "Historical Linguistics",
            "Language Acquisition",
        ],
    ),
    dept(
        "Music",
        "MUSC",
        3,
        0.8,
        [
            "Music Theory",
            "Harmony",
            "Orchestration",
            "Music History",
            "Composition",
            "Ethnomusicology",
        ],
    ),
    dept(
        "Art History",
        "ARTH",
        2,
        0.8,
        [
            "Renaissance Art",
            "Modern Art",
            "Architecture",
            "Photography",
            "Baroque Painting",
            "Asian Art",
        ],
    ),
    dept(
        "Geology",
        "GEOL",
        2,
        1.0,
        [
            "Mineralogy",
            "Petrology",
            "Structural Geology",
            "Sedimentology",
            "Geophysics",
            "Volcanology",
        ],
    ),
    dept(
        "Astronomy",
        "ASTR",
        2,
        1.05,
        [
            "Stellar Astrophysics",
            "Cosmology",
            "Planetary Science",
            "Galaxies",
            "Observational Astronomy",
            "Exoplanets",
        ],
    ),
    dept(
        "Statistics",
        "STAT",
        5,
        1.15,
        [
            "Probability",
            "Statistical Inference",
            "Regression",
            "Bayesian Statistics",
            "Time Series",
            "Sampling",
        ],
    ),
    dept(
        "Anthropology",
        "ANTH",
        2,
        0.85,
        [
            "Cultural Anthropology",
            "Archaeology",
            "Human Evolution",
            "Ethnography",
            "Medical Anthropology",
            "Kinship",
        ],
    ),
    dept(
        "Classics",
        "CLAS",
        2,
        0.8,
        [
            "Latin",
            "Ancient Greek",
            "Greek Tragedy",
            "Roman History",
            "Homer",
            "Classical Mythology",
        ],
    ),
    dept(
        "Mechanical Engineering",
        "MECH",
        5,
        1.2,
        [
            "Statics",
            "Fluid Mechanics",
            "Heat Transfer",
            "Machine Design",
            "Robotics",
            "Materials",
        ],
    ),
    dept(
        "Electrical Engineering",
        "ELEC",
        5,
        1.2,
        [
            "Circuits",
            "Signals and Systems",
            "Electronics",
            "Control Systems",
            "Power Systems",
            "Microprocessors",
        ],
    ),
    dept(
        "Civil Engineering",
        "CIVL",
        3,
        1.15,
        [
            "Structural Analysis",
            "Surveying",
            "Transportation Engineering",
            "Hydraulics",
            "Geotechnics",
            "Construction Management",
        ],
    ),
    dept(
        "Nursing",
        "NURS",
        4,
        1.0,
        [
            "Anatomy",
            "Pharmacology",
            "Patient Care",
            "Community Health",
            "Pediatric Nursing",
            "Nursing Ethics",
        ],
    ),
];

/// Rank, share of instructors (percent), median salary, and the years hires of it date from.
const RANKS: &[(&str, u32, f64, i64, i64)] = &[
    ("Professor", 30, 165_000.0, 1975, 2012),
    ("Associate Professor", 25, 118_000.0, 1995, 2019),
    ("Assistant Professor", 25, 98_000.0, 2014, 2024),
    ("Lecturer", 20, 68_000.0, 1990, 2024),
];

const BUILDING_KINDS: &[&str] = &["Hall", "Building", "Center", "Laboratories", "House"];

pub fn build(seed: u64) -> Database {
    let departments = build_departments(seed);
    let instructors = build_instructors(seed, &departments);
    let courses = build_courses(seed, &instructors);
    let students = build_students(seed, &instructors);
    Database {
        name: "college".into(),
        tables: vec![instructors, courses, students, departments],
    }
}

fn department_weights() -> Vec<(usize, u32)> {
    DEPARTMENTS
        .iter()
        .enumerate()
        .map(|(i, d)| (i, d.weight))
        .collect()
}

fn build_departments(seed: u64) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "college/departments"));
    let buildings = unique(&mut rng, DEPARTMENTS.len(), |rng| {
        format!("{} {}", rng.draw(SURNAMES), rng.draw(BUILDING_KINDS))
    });
    let rows = DEPARTMENTS
        .iter()
        .zip(&buildings)
        .map(|(d, building)| {
            let budget = whole(
                f64::from(d.weight) * d.pay * log_normal(&mut rng, 900_000.0, 0.25),
                100_000,
                50_000_000,
            ) / 1_000
                * 1_000;
            let founded = rng.range(1850, 1990) as i64;
            vec![text(d.name), text(building), int(budget), int(founded)]
        })
        .collect();
    Table {
        name: "departments".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("building", ColumnKind::Text),
            Column::new("budget", ColumnKind::Int),
            Column::new("founded", ColumnKind::Int),
        ],
        rows,
    }
}

const INSTRUCTORS: usize = 1_600;

fn build_instructors(seed: u64, departments: &Table) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "college/instructors"));
    let names = unique(&mut rng, INSTRUCTORS, person);
    let weights = department_weights();
    let rank_weights: Vec<(usize, u32)> = RANKS.iter().enumerate().map(|(i, r)| (i, r.1)).collect();
    let rows = names
        .iter()
        .map(|name| {
            let d = weighted(&mut rng, &weights);
            let (rank, _, median, from, to) = RANKS[weighted(&mut rng, &rank_weights)];
            let salary = whole(
                median * DEPARTMENTS[d].pay * log_normal(&mut rng, 1.0, 0.13),
                40_000,
                500_000,
            ) / 100
                * 100;
            let hired = day_between(&mut rng, days(from, 1, 1), days(to, 12, 31));
            let building = departments.rows[d][1].as_str().unwrap_or_default();
            let office = format!("{building} {}", rng.range(100, 499));
            let office = or_null(&mut rng, 0.05, text(&office));
            vec![
                text(name),
                text(DEPARTMENTS[d].name),
                text(rank),
                int(salary),
                text(&iso(hired)),
                office,
            ]
        })
        .collect();
    Table {
        name: "instructors".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("department", ColumnKind::Text),
            Column::new("academic_rank", ColumnKind::Text),
            Column::new("salary", ColumnKind::Int),
            Column::new("hired", ColumnKind::Date),
            Column::new("office", ColumnKind::Text),
        ],
        rows,
    }
}

/// Instructor names by department, in table order.
fn staff(instructors: &Table) -> Vec<Vec<&str>> {
    let mut by = vec![Vec::new(); DEPARTMENTS.len()];
    for row in &instructors.rows {
        let d = DEPARTMENTS
            .iter()
            .position(|d| row[1] == d.name)
            .expect("an instructor's department is listed");
        by[d].push(row[0].as_str().unwrap_or_default());
    }
    by
}

const COURSES: usize = 1_800;

fn build_courses(seed: u64, instructors: &Table) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "college/courses"));
    let staff = staff(instructors);
    let weights = department_weights();
    let mut codes = HashSet::new();
    let mut rows = Vec::with_capacity(COURSES);
    while rows.len() < COURSES {
        let d = weighted(&mut rng, &weights);
        let dept = &DEPARTMENTS[d];
        let level = weighted(&mut rng, &[(1, 30), (2, 30), (3, 25), (4, 15)]);
        let number = level * 100 + rng.below(100) as i64;
        let code = format!("{} {number}", dept.prefix);
        if !codes.insert(code.clone()) {
            continue;
        }
        let topic = rng.draw(&dept.topics);
        let title = match (level, rng.below(4)) {
            (1, 0..=1) => format!("Introduction to {topic}"),
            (1, _) => format!("Principles of {topic}"),
            (2, 0..=1) => topic.to_string(),
            (2, _) => format!("{topic} Laboratory"),
            (3, 0..=1) => format!("Advanced {topic}"),
            (3, _) => format!("Topics on {topic}"),
            (_, 0..=1) => format!("Seminar on {topic}"),
            _ => format!("Research Workshop on {topic}"),
        };
        let credits = weighted(&mut rng, &[(3, 57), (4, 25), (2, 9), (1, 6), (5, 3)]);
        let instructor = if staff[d].is_empty() {
            serde_json::Value::Null
        } else {
            let who = text(staff[d][rng.below(staff[d].len())]);
            or_null(&mut rng, 0.04, who)
        };
        let median = [120.0, 60.0, 35.0, 18.0][level as usize - 1];
        let capacity = whole(log_normal(&mut rng, median, 0.35), 8, 400);
        rows.push(vec![
            text(&code),
            text(&title),
            text(dept.name),
            int(credits),
            instructor,
            int(capacity),
        ]);
    }
    Table {
        name: "courses".into(),
        columns: vec![
            Column::new("code", ColumnKind::Text),
            Column::new("title", ColumnKind::Text),
            Column::new("department", ColumnKind::Text),
            Column::new("credits", ColumnKind::Int),
            Column::new("instructor", ColumnKind::Text),
            Column::new("capacity", ColumnKind::Int),
        ],
        rows,
    }
}

const STUDENTS: usize = 2_000;

fn build_students(seed: u64, instructors: &Table) -> Table {
    let mut rng = SeededRng::new(derive_seed(seed, "college/students"));
    let names = unique(&mut rng, STUDENTS, person);
    let staff = staff(instructors);
    let weights = department_weights();
    let rows = names
        .iter()
        .map(|name| {
            let d = weighted(&mut rng, &weights);
            let year = 2024 - skewed_index(&mut rng, 6) as i64;
            let enrolled = if rng.chance(0.85) {
                day_between(&mut rng, days(year, 8, 20), days(year, 9, 10))
            } else {
                day_between(&mut rng, days(year, 1, 5), days(year, 1, 25))
            };
            let gpa = (3.1 + 0.45 * normal(&mut rng)).clamp(0.0, 4.0);
            let terms = (days(2024, 12, 15) - enrolled) / 182 + 1;
            let credits = whole(
                f64::from(terms as i32) * (14.0 + 2.5 * normal(&mut rng)),
                0,
                180,
            );
            let advisor = if staff[d].is_empty() {
                serde_json::Value::Null
            } else {
                let who = text(staff[d][rng.below(staff[d].len())]);
                or_null(&mut rng, 0.07, who)
            };
            vec![
                text(name),
                text(DEPARTMENTS[d].name),
                text(&iso(enrolled)),
                cents(gpa),
                int(credits),
                advisor,
            ]
        })
        .collect();
    Table {
        name: "students".into(),
        columns: vec![
            Column::new("name", ColumnKind::Text),
            Column::new("major", ColumnKind::Text),
            Column::new("enrolled", ColumnKind::Date),
            Column::new("gpa", ColumnKind::Float),
            Column::new("credits_earned", ColumnKind::Int),
            Column::new("advisor", ColumnKind::Text),
        ],
        rows,
    }
}

const TEMPLATES: &[(&str, &[&str])] = &[
    (
        "instructors",
        &[
            "{{ name }} holds the rank of {{ academic_rank }} in {{ department }}, was hired on {{ hired }} at a salary of ${{ salary }} and {% if office is none %}has no office assigned{% else %}has an office in {{ office }}{% endif %}.",
            "Hired on {{ hired }}, {{ name }} ({{ academic_rank }}, {{ department }}) earns ${{ salary }} a year and {% if office is none %}has no office{% else %}keeps an office in {{ office }}{% endif %}.",
            "{{ department }} has employed {{ name }} as {{ academic_rank }} since {{ hired }}, at a salary of ${{ salary }}; {% if office is none %}an office has not been assigned{% else %}the office is in {{ office }}{% endif %}.",
        ],
    ),
    (
        "courses",
        &[
            "{{ code }} ({{ title }}) is a {{ credits }}-credit course of the {{ department }} department with room for {{ capacity }} students, {% if instructor is none %}its instructor not yet named{% else %}taught by {{ instructor }}{% endif %}.",
            "{{ title }}, offered by {{ department }} as {{ code }}, is a {{ credits }}-credit course for up to {{ capacity }} students that {% if instructor is none %}has no assigned instructor yet{% else %}{{ instructor }} teaches{% endif %}.",
            "{% if instructor is none %}No instructor is yet assigned to{% else %}{{ instructor }} teaches{% endif %} {{ code }}, {{ title }}, a {{ credits }}-credit {{ department }} course capped at {{ capacity }} students.",
        ],
    ),
    (
        "students",
        &[
            "{{ name }} enrolled on {{ enrolled }} to major in {{ major }}, has earned {{ credits_earned }} credits with a GPA of {{ gpa }} and {% if advisor is none %}has no advisor yet{% else %}is advised by {{ advisor }}{% endif %}.",
            "Majoring in {{ major }} since {{ enrolled }}, {{ name }} holds a GPA of {{ gpa }} over {{ credits_earned }} credits{% if advisor is none %} and has not been assigned an advisor{% else %}, with {{ advisor }} as advisor{% endif %}.",
            "{{ name }} ({{ major }}, GPA {{ gpa }}) started on {{ enrolled }}, has {{ credits_earned }} credits and {% if advisor is none %}lacks an advisor{% else %}reports to advisor {{ advisor }}{% endif %}.",
        ],
    ),
    (
        "departments",
        &[
            "The {{ name }} department is housed in {{ building }}, was founded in {{ founded }} and has a budget of ${{ budget }}.",
            "{{ name }}, founded in {{ founded }}, works from {{ building }} on a budget of ${{ budget }}.",
            "Housed in {{ building }} since its founding in {{ founded }}, the department of {{ name }} spends ${{ budget }} a year.",
        ],
    ),
];

fn queries() -> Vec<Query> {
    super::queries_of("college", QUERIES)
}

const QUERIES: &[Spec] = &[
    Spec {
        id: "instructors-high-salary",
        kind: QueryKind::Filter,
        question: "List the name, department and salary of every instructor paid $220,000 or more.",
        sql: "SELECT name, department, salary FROM instructors WHERE salary >= 220000",
        tables: &["instructors"],
        difficulty: "easy",
        flags: "comparison",
        near_miss: Some(("instructors", "salary >= 190000 AND salary < 220000")),
    },
    Spec {
        id: "students-count-honours",
        kind: QueryKind::Count,
        question: "How many students have a GPA of 3.90 or higher? Give the number as student_count.",
        sql: "SELECT COUNT(*) AS student_count FROM students WHERE gpa >= 3.9",
        tables: &["students"],
        difficulty: "easy",
        flags: "aggregation comparison",
        near_miss: Some(("students", "gpa >= 3.7 AND gpa < 3.9")),
    },
    Spec {
        id: "instructors-avg-salary-physics",
        kind: QueryKind::Aggregate,
        question: "What is the average salary (avg_salary) of the instructors of the Physics department?",
        sql: "SELECT AVG(salary) AS avg_salary FROM instructors WHERE department = 'Physics'",
        tables: &["instructors"],
        difficulty: "easy",
        flags: "aggregation",
        near_miss: Some(("instructors", "department = 'Chemistry'")),
    },
    Spec {
        id: "courses-capacity-range-history",
        kind: QueryKind::MaxMin,
        question: "What are the largest (largest_capacity) and the smallest (smallest_capacity) capacity of the History department's courses?",
        sql: "SELECT MAX(capacity) AS largest_capacity, MIN(capacity) AS smallest_capacity FROM courses WHERE department = 'History'",
        tables: &["courses"],
        difficulty: "medium",
        flags: "max_min",
        near_miss: Some(("courses", "department = 'English'")),
    },
    Spec {
        id: "courses-credits-by-department",
        kind: QueryKind::GroupBy,
        question: "For each department, give the department, the number of its courses (course_count) and their total credits (total_credits), ordered by department.",
        sql: "SELECT department, COUNT(*) AS course_count, SUM(credits) AS total_credits FROM courses GROUP BY department ORDER BY department",
        tables: &["courses"],
        difficulty: "medium",
        flags: "aggregation",
        near_miss: None,
    },
    Spec {
        id: "students-top-mathematics",
        kind: QueryKind::TopK,
        question: "List the name and GPA (gpa) of the five Mathematics majors with the highest GPA, highest first, breaking ties by name in alphabetical order.",
        sql: "SELECT name, gpa FROM students WHERE major = 'Mathematics' ORDER BY gpa DESC, name ASC LIMIT 5",
        tables: &["students"],
        difficulty: "medium",
        flags: "ranking",
        near_miss: Some(("students", "major = 'Statistics'")),
    },
    Spec {
        id: "courses-five-credit-ranks",
        kind: QueryKind::Join,
        question: "For every 5-credit course, give its code, its title and the academic rank of its instructor (academic_rank).",
        sql: "SELECT c.code, c.title, i.academic_rank FROM courses AS c JOIN instructors AS i ON c.instructor = i.name WHERE c.credits = 5",
        tables: &["courses", "instructors"],
        difficulty: "hard",
        flags: "join",
        near_miss: Some(("courses", "credits = 4")),
    },
    Spec {
        id: "students-computing-strong",
        kind: QueryKind::Filter,
        question: "List the name, enrolment date (enrolled) and GPA (gpa) of every Computer Science major with a GPA of 3.30 or higher.",
        sql: "SELECT name, enrolled, gpa FROM students WHERE major = 'Computer Science' AND gpa >= 3.3",
        tables: &["students"],
        difficulty: "medium",
        flags: "comparison",
        near_miss: Some(("students", "major = 'Computer Science' AND gpa < 3.3")),
    },
];
