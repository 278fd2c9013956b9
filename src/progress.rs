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

static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// From now on, Ctrl-C and SIGTERM only raise a flag that [`stop_if_interrupted`] acts on, so
/// work that writes a folder can remove its staging folder before the process ends.
pub fn watch_interrupts() {
    // A second call (a test running several commands in one process) keeps the first handler.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst));
}

/// Whether Ctrl-C or SIGTERM has come since [`watch_interrupts`].
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Called between two pieces of work: after an interrupt, removes `staging` (the folder being
/// written, never the target) and ends the process with status 130.
pub fn stop_if_interrupted(staging: &std::path::Path) {
    if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        let _ = std::fs::remove_dir_all(staging);
        eprintln!("\ninterrupted: nothing was written (the partial folder was removed)");
        std::process::exit(130);
    }
}
