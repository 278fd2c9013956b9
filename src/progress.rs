//! Progress on stderr: a line that rewrites itself on a terminal, a line per tenth otherwise.

use std::io::{IsTerminal, Write};

pub struct Progress {
    label: String,
    terminal: bool,
    last_tenth: usize,
}

impl Progress {
    pub fn new(label: &str) -> Self {
        Progress {
            label: label.to_string(),
            terminal: std::io::stderr().is_terminal(),
            last_tenth: 0,
        }
    }

    pub fn update(&mut self, done: usize, total: usize) {
        let mut err = std::io::stderr();
        if self.terminal {
            let _ = write!(err, "\r{} {done}/{total}", self.label);
            if done == total {
                let _ = writeln!(err);
            }
        } else {
            let tenth = done * 10 / total.max(1);
            if tenth > self.last_tenth || done == total {
                self.last_tenth = tenth;
                let _ = writeln!(err, "{} {done}/{total}", self.label);
            }
        }
    }
}
