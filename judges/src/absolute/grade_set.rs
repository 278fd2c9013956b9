//! Grade files read at the edge: each line one [`Grade`] as `longforge grade` writes it, its
//! grade within the rubric's 1 to 10, and no answer graded twice by one grader.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use longforge_datasets::{jsonl, DatasetError, Grade};

/// The grades of one or more files; `grade: null` (no readable grade) is kept, as written.
#[derive(Debug, Clone, Default)]
pub struct GradeSet {
    pub grades: Vec<Grade>,
    /// Where each (question, model, grader) was first read, so a grade given twice, in one file
    /// or two, is an error rather than an answer counted twice.
    seen: HashMap<(String, String, String), String>,
}

impl GradeSet {
    /// Adds the grades of one more file and returns how many it held (blank lines aside). A bad
    /// line is an error naming the file, the line and the field: not JSON, not a grade, a grade
    /// outside 1 to 10, or an answer already graded by the same grader.
    pub fn read(&mut self, path: &Path) -> Result<usize, DatasetError> {
        let file = std::fs::File::open(path).map_err(|e| DatasetError::io(path, e))?;
        let mut held = 0;
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| DatasetError::io(path, e))?;
            if line.trim().is_empty() {
                continue;
            }
            let at = |field: &str, message: String| DatasetError::Record {
                path: path.to_path_buf(),
                line: i + 1,
                field: field.into(),
                message,
            };
            let g: Grade = jsonl::parse_line(path, i + 1, &line)?;
            if let Some(v) = g.grade.filter(|v| !(1..=10).contains(v)) {
                return Err(at(
                    "grade",
                    format!("{v} is outside the rubric's 1 to 10 (null when no grade was read)"),
                ));
            }
            let key = (g.question_id.clone(), g.model.clone(), g.judge.clone());
            let origin = format!("{}:{}", path.display(), i + 1);
            if let Some(first) = self.seen.insert(key, origin) {
                return Err(at(
                    "question_id",
                    format!(
                        "grader `{}` grades model `{}` on question `{}` again (first at {first}); an answer counts once",
                        g.judge, g.model, g.question_id
                    ),
                ));
            }
            self.grades.push(g);
            held += 1;
        }
        Ok(held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(q: &str, model: &str, grade: &str) -> String {
        format!("{{\"question_id\":\"{q}\",\"model\":\"{model}\",\"judge\":\"rule\",\"grade\":{grade},\"raw\":null}}\n")
    }

    #[test]
    fn grades_read_with_their_lines_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.jsonl");
        std::fs::write(
            &path,
            [line("q1", "x", "7"), "\n".into(), line("q1", "y", "null")].concat(),
        )
        .unwrap();
        let mut set = GradeSet::default();
        assert_eq!(set.read(&path).unwrap(), 2);
        assert_eq!(set.grades[1].grade, None);

        let other = dir.path().join("h.jsonl");
        std::fs::write(&other, line("q1", "x", "3")).unwrap();
        let err = set.read(&other).unwrap_err().to_string();
        assert!(
            err.contains("h.jsonl:1") && err.contains("g.jsonl:1"),
            "{err}"
        );

        std::fs::write(
            &path,
            [line("q1", "x", "7"), line("q2", "x", "11")].concat(),
        )
        .unwrap();
        let err = GradeSet::default().read(&path).unwrap_err().to_string();
        assert!(
            err.contains("g.jsonl:2") && err.contains("`grade`") && err.contains("11"),
            "{err}"
        );
        std::fs::write(&path, [line("q1", "x", "0")].concat()).unwrap();
        let err = GradeSet::default().read(&path).unwrap_err().to_string();
        assert!(
            err.contains("g.jsonl:1") && err.contains("outside"),
            "{err}"
        );
        std::fs::write(&path, [line("q1", "x", "7"), "grade: 7\n".into()].concat()).unwrap();
        let err = GradeSet::default().read(&path).unwrap_err().to_string();
        assert!(
            err.contains("g.jsonl:2") && err.contains("not valid JSON"),
            "{err}"
        );
    }
}
