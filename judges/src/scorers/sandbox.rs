//! A sandbox for untrusted programs (model-written C++): compile one source and run it on test
//! inputs, each run in a fresh temporary directory, with a clean environment, kernel limits on
//! CPU time, address space, file size and processes, a wall-clock watchdog, and every process it
//! started killed afterwards.
//!
//! The original LongProc checker ran model code with no sandbox at all, with wall-clock limits
//! only (flaky under load). Here:
//! - Limits are `setrlimit` in the child before `exec`: `RLIMIT_CPU` (CPU seconds; the kernel
//!   sends SIGXCPU, then SIGKILL at the hard limit one second later), `RLIMIT_AS` (bytes of
//!   address space: a 10 GB allocation fails), `RLIMIT_FSIZE` (bytes a file may grow to:
//!   SIGXFSZ), `RLIMIT_NPROC` (processes of the user), `RLIMIT_CORE` 0. A wall-clock watchdog
//!   kills a program that sleeps or blocks.
//! - As root (CI and these machines), the kernel does not apply `RLIMIT_NPROC` to root, so the
//!   child drops to an unprivileged user before `exec`: supplementary groups cleared, then
//!   gid and uid set to [`UID_BASE`] + a slot. Each live sandbox holds its own slot (an
//!   exclusive `flock` on `/tmp/longforge-sandbox/slot-N.lock`, so sandboxes of other
//!   processes never share it), which makes `RLIMIT_NPROC` count this sandbox's processes only
//!   and lets the sweep kill exactly them: after each compile and run, a helper that takes the
//!   slot's uid calls `kill(-1, SIGKILL)` (every process of that uid, including any that left the
//!   process group), repeated until none is left; then the top-level entries of `/tmp`,
//!   `/var/tmp` and `/dev/shm` owned by that uid are deleted. Killed descendants that were
//!   handed to init stay zombies until init reaps them and still count for `RLIMIT_NPROC`; the
//!   limit of the next process is raised by their number (a zombie cannot fork). The compiled binary and its
//!   directory are handed back to root before the runs, so a run cannot replace the program
//!   the next run executes.
//! - Not as root, the child keeps our uid: the limits hold except that `RLIMIT_NPROC` counts all
//!   our processes (set to what we run now plus [`SPARE_PROCESSES`]), and the sweep kills the
//!   process group only.
//!
//! Not isolated: the network, and reads of world-readable files (no namespaces or seccomp;
//! they need privileges CI containers often lack). Disk: each file is capped, not their number.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The first uid (and gid) of the sandbox slots: 65000-65031, a range Debian policy leaves
/// unassigned and that fits the 16-bit maps of most user namespaces.
pub const UID_BASE: u32 = 65_000;
/// Sandboxes that can be live at once across the machine (each holds a slot).
pub const SLOTS: u32 = 32;
/// Not as root: processes allowed beyond those our uid runs when the sandbox starts.
pub const SPARE_PROCESSES: u64 = 32;
const LOCK_DIR: &str = "/tmp/longforge-sandbox";

/// Kernel and watchdog limits of one process tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// CPU seconds (`RLIMIT_CPU`, soft; the hard limit is one more).
    pub cpu_seconds: u64,
    /// Wall-clock time before the watchdog kills the process group.
    pub wall: Duration,
    /// Bytes of address space (`RLIMIT_AS`).
    pub memory_bytes: u64,
    /// Bytes a written file may reach (`RLIMIT_FSIZE`).
    pub file_bytes: u64,
    /// Processes (and threads) of the sandbox user (`RLIMIT_NPROC`), as root.
    pub processes: u64,
    /// Bytes of standard output kept; more ends the run as [`Outcome::OutputLimit`].
    pub output_bytes: usize,
}

impl Limits {
    /// A test-case run: 2 CPU seconds, 5 s wall, 512 MiB, files 1 MiB, no second process,
    /// 4 MiB of output.
    pub const RUN: Limits = Limits {
        cpu_seconds: 2,
        wall: Duration::from_secs(5),
        memory_bytes: 512 << 20,
        file_bytes: 1 << 20,
        processes: 1,
        output_bytes: 4 << 20,
    };
    /// A compilation (g++ runs cc1plus, as and ld): 30 CPU seconds, 60 s wall, 2 GiB,
    /// files 256 MiB, 16 processes, 64 KiB of diagnostics kept.
    pub const COMPILE: Limits = Limits {
        cpu_seconds: 30,
        wall: Duration::from_secs(60),
        memory_bytes: 2 << 30,
        file_bytes: 256 << 20,
        processes: 16,
        output_bytes: 64 << 10,
    };
}

/// How a sandboxed process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Exited(i32),
    /// Killed by a signal: SIGXCPU/SIGKILL at the CPU limit, SIGXFSZ at the file limit,
    /// SIGSEGV, SIGABRT (a failed allocation throws, then aborts) ...
    Signalled(i32),
    /// The watchdog killed it at the wall-clock limit.
    WallTimeout,
    /// It wrote more than the output limit and was killed.
    OutputLimit,
}

impl Outcome {
    pub fn ok(self) -> bool {
        self == Outcome::Exited(0)
    }

    /// A short name for score details.
    pub fn describe(self) -> String {
        match self {
            Outcome::Exited(code) => format!("exit {code}"),
            Outcome::Signalled(libc::SIGXCPU) => "CPU time limit (SIGXCPU)".into(),
            Outcome::Signalled(libc::SIGXFSZ) => "file size limit (SIGXFSZ)".into(),
            Outcome::Signalled(s) => format!("signal {s}"),
            Outcome::WallTimeout => "wall-clock limit".into(),
            Outcome::OutputLimit => "output limit".into(),
        }
    }
}

/// What one sandboxed process did.
#[derive(Debug, Clone)]
pub struct Finished {
    pub outcome: Outcome,
    pub stdout: Vec<u8>,
    /// The first bytes of standard error (compiler diagnostics).
    pub stderr: Vec<u8>,
    pub wall: Duration,
}

/// Failures of the sandbox itself (not of the program in it): these stop scoring, since a
/// score without the program run would be wrong.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("`{0}` was not found: the pseudo-to-code checker compiles answers with g++ (install it, e.g. `apt-get install g++`, or score with `--scorer cpp_no_exec` to skip compiling and running)")]
    NoCompiler(String),
    #[error("sandbox: {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> SandboxError {
    let what = what.into();
    move |source| SandboxError::Io { what, source }
}

/// One sandbox: a private temporary directory and, as root, a uid slot of its own; dropped,
/// it deletes the directory and frees the slot.
pub struct Sandbox {
    root: tempfile::TempDir,
    /// `Some((uid, lock))` as root.
    user: Option<(u32, File)>,
    runs: usize,
}

/// A compiled program, or why it did not compile.
pub enum Compiled {
    Program(PathBuf),
    Failed(Finished),
}

impl Sandbox {
    pub fn new() -> Result<Sandbox, SandboxError> {
        let root = tempfile::Builder::new()
            .prefix("longforge-sandbox-")
            .tempdir()
            .map_err(io("make a temporary directory"))?;
        // Others may pass through (to their own subdirectory), not list or write.
        fs::set_permissions(root.path(), fs::Permissions::from_mode(0o711))
            .map_err(io("set the sandbox directory's mode"))?;
        // SAFETY: geteuid has no preconditions.
        let user = if unsafe { libc::geteuid() } == 0 {
            let (uid, lock) = take_slot()?;
            sweep(uid)?;
            Some((uid, lock))
        } else {
            None
        };
        Ok(Sandbox {
            root,
            user,
            runs: 0,
        })
    }

    /// The sandbox's private directory (deleted on drop).
    pub fn path(&self) -> &Path {
        self.root.path()
    }

    /// The uid programs run as (`None`: our own, not root).
    pub fn uid(&self) -> Option<u32> {
        self.user.as_ref().map(|u| u.0)
    }

    /// Compiles `source` with `compiler` (e.g. `g++`) and `flags` (e.g. `-std=c++17 -O1`),
    /// under `limits`, as the sandbox user.
    pub fn compile(
        &mut self,
        compiler: &str,
        flags: &[String],
        source: &str,
        limits: &Limits,
    ) -> Result<Compiled, SandboxError> {
        let dir = self.root.path().join("build");
        fs::create_dir(&dir).map_err(io("make the build directory"))?;
        fs::write(dir.join("main.cpp"), source).map_err(io("write main.cpp"))?;
        self.hand_over(&dir)?;
        let mut command = Command::new(compiler);
        command.args(flags).args(["-o", "prog", "main.cpp"]);
        let finished = self
            .spawn(command, &dir, b"", limits)
            .map_err(|e| match e {
                SandboxError::Io { source, .. }
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    SandboxError::NoCompiler(compiler.to_string())
                }
                other => other,
            })?;
        let program = dir.join("prog");
        if !finished.outcome.ok() || !program.exists() {
            return Ok(Compiled::Failed(finished));
        }
        // Back to root, read and run only: a run cannot replace the program of the next (not
        // as root, runs are our own uid and this holds only as far as modes do).
        for path in [&program, &dir] {
            if self.user.is_some() {
                chown(path, 0)?;
            }
            fs::set_permissions(path, fs::Permissions::from_mode(0o755))
                .map_err(io("seal the compiled program"))?;
        }
        Ok(Compiled::Program(program))
    }

    /// Runs `program` on `input` in a fresh directory, under `limits`.
    pub fn run(
        &mut self,
        program: &Path,
        input: &[u8],
        limits: &Limits,
    ) -> Result<Finished, SandboxError> {
        self.runs += 1;
        let dir = self.root.path().join(format!("run-{}", self.runs));
        fs::create_dir(&dir).map_err(io("make a run directory"))?;
        self.hand_over(&dir)?;
        let finished = self.spawn(Command::new(program), &dir, input, limits);
        // The directory goes whatever the program left in it.
        let _ = fs::remove_dir_all(&dir);
        finished
    }

    /// Makes `dir` the sandbox user's own (mode 0700).
    fn hand_over(&self, dir: &Path) -> Result<(), SandboxError> {
        if let Some((uid, _)) = &self.user {
            chown(dir, *uid)?;
        }
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(io("set a work directory's mode"))
    }

    fn spawn(
        &self,
        mut command: Command,
        cwd: &Path,
        input: &[u8],
        limits: &Limits,
    ) -> Result<Finished, SandboxError> {
        let uid = self.uid();
        let processes = match uid {
            // Zombies left to init (descendants of a killed compiler) count against the limit
            // until init reaps them; they cannot fork, so they are added to it.
            Some(uid) => limits.processes + zombies_of(uid),
            None => own_processes() + SPARE_PROCESSES,
        };
        let limits_now = *limits;
        command
            .current_dir(cwd)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("LANG", "C")
            // The compiler's temporary files go to the work directory, deleted with it.
            .env("TMPDIR", cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        // SAFETY: the closure runs in the forked child before exec and calls only
        // async-signal-safe functions (setrlimit, setgroups, setgid, setuid), allocating nothing.
        unsafe {
            command.pre_exec(move || {
                let set = |resource, soft: u64, hard: u64| {
                    let limit = libc::rlimit {
                        rlim_cur: soft as libc::rlim_t,
                        rlim_max: hard as libc::rlim_t,
                    };
                    if libc::setrlimit(resource, &limit) == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                };
                let l = limits_now;
                set(libc::RLIMIT_CPU, l.cpu_seconds, l.cpu_seconds + 1)?;
                set(libc::RLIMIT_AS, l.memory_bytes, l.memory_bytes)?;
                set(libc::RLIMIT_FSIZE, l.file_bytes, l.file_bytes)?;
                set(libc::RLIMIT_CORE, 0, 0)?;
                set(libc::RLIMIT_NPROC, processes, processes)?;
                if let Some(uid) = uid {
                    if libc::setgroups(0, std::ptr::null()) != 0
                        || libc::setgid(uid) != 0
                        || libc::setuid(uid) != 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        let started = Instant::now();
        let mut child = command
            .spawn()
            .map_err(io(format!("start {:?}", command.get_program())))?;
        watch(&mut child, input, limits, started, uid)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some((uid, _)) = &self.user {
            let _ = sweep(*uid);
        }
    }
}

/// Feeds the input, collects the output, enforces the wall clock and the output cap, then
/// kills the process group and (as root) sweeps the slot's uid.
fn watch(
    child: &mut Child,
    input: &[u8],
    limits: &Limits,
    started: Instant,
    uid: Option<u32>,
) -> Result<Finished, SandboxError> {
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(io("pipes")(std::io::Error::other("a pipe was not opened")));
    };
    let input = input.to_vec();
    // A program that does not read may leave the writer blocked; it ends with the program.
    std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let (out_tx, out_rx) = mpsc::channel();
    let cap = limits.output_bytes;
    std::thread::spawn(move || {
        let _ = out_tx.send(read_capped(stdout, cap));
    });
    let (err_tx, err_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = err_tx.send(read_capped(stderr, 64 << 10));
    });
    let pid = child.id() as libc::pid_t;
    let mut stdout_result = None;
    let outcome = loop {
        if let Some(status) = child.try_wait().map_err(io("wait for the program"))? {
            break match (status.code(), status.signal()) {
                (Some(code), _) => Outcome::Exited(code),
                (None, Some(signal)) => Outcome::Signalled(signal),
                _ => Outcome::Signalled(0),
            };
        }
        if stdout_result.is_none() {
            if let Ok(got) = out_rx.try_recv() {
                let (bytes, over): (Vec<u8>, bool) = got;
                if over {
                    // SAFETY: see `Sandbox::spawn`.
                    unsafe { libc::killpg(pid, libc::SIGKILL) };
                    let _ = child.wait();
                    stdout_result = Some((bytes, true));
                    break Outcome::OutputLimit;
                }
                stdout_result = Some((bytes, false));
            }
        }
        if started.elapsed() >= limits.wall {
            // SAFETY: see `Sandbox::spawn`.
            unsafe { libc::killpg(pid, libc::SIGKILL) };
            let _ = child.wait();
            break Outcome::WallTimeout;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall = started.elapsed();
    // Whatever happened, nothing of the program outlives this call; its pipes then close.
    // SAFETY: killpg on the group we created (its id is the child's pid); harmless if gone.
    unsafe { libc::killpg(pid, libc::SIGKILL) };
    let _ = child.wait();
    if let Some(uid) = uid {
        sweep(uid)?;
    }
    // A pipe still open (held by a descendant that escaped, not as root) is given up on after
    // a second.
    let grace = Duration::from_secs(1);
    let (stdout, over) = match stdout_result {
        Some(got) => got,
        None => out_rx.recv_timeout(grace).unwrap_or_default(),
    };
    let stderr = err_rx.recv_timeout(grace).unwrap_or_default().0;
    let outcome = if over && outcome != Outcome::WallTimeout {
        Outcome::OutputLimit
    } else {
        outcome
    };
    Ok(Finished {
        outcome,
        stdout,
        stderr,
        wall,
    })
}

/// Reads up to `cap` bytes; true when there was more.
fn read_capped(pipe: impl Read, cap: usize) -> (Vec<u8>, bool) {
    let mut bytes = Vec::new();
    let mut limited = pipe.take(cap as u64 + 1);
    let _ = limited.read_to_end(&mut bytes);
    let over = bytes.len() > cap;
    bytes.truncate(cap);
    (bytes, over)
}

fn chown(path: &Path, uid: u32) -> Result<(), SandboxError> {
    std::os::unix::fs::chown(path, Some(uid), Some(uid))
        .map_err(io(format!("hand {} to uid {uid}", path.display())))
}

/// Takes the first free slot (an exclusive lock on its file), waiting while all are taken.
fn take_slot() -> Result<(u32, File), SandboxError> {
    fs::create_dir_all(LOCK_DIR).map_err(io(format!("make {LOCK_DIR}")))?;
    fs::set_permissions(LOCK_DIR, fs::Permissions::from_mode(0o700))
        .map_err(io(format!("set the mode of {LOCK_DIR}")))?;
    loop {
        for slot in 0..SLOTS {
            let path = format!("{LOCK_DIR}/slot-{slot}.lock");
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io(format!("open {path}")))?;
            // SAFETY: flock on a descriptor we own; released when the file is closed.
            if unsafe {
                libc::flock(
                    std::os::fd::AsRawFd::as_raw_fd(&file),
                    libc::LOCK_EX | libc::LOCK_NB,
                )
            } == 0
            {
                return Ok((UID_BASE + slot, file));
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Kills every process of `uid` and deletes what it left in the shared temporary folders.
pub fn sweep(uid: u32) -> Result<(), SandboxError> {
    // kill(-1) reports success whenever any process exists (EPERM is not counted as failure),
    // so what is left is read from /proc instead.
    for _ in 0..200 {
        if processes_of(uid).is_empty() {
            break;
        }
        let mut killer = Command::new("/bin/true");
        // SAFETY: in the forked child: setgroups/setgid/setuid/kill/_exit are
        // async-signal-safe. The child becomes `uid`, signals every process of it (kill(-1)
        // spares the caller) and exits without exec.
        unsafe {
            killer.pre_exec(move || {
                if libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(uid) != 0
                    || libc::setuid(uid) != 0
                {
                    libc::_exit(2);
                }
                libc::kill(-1, libc::SIGKILL);
                libc::_exit(0);
            });
        }
        let status = killer
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(io("start the process sweeper"))?;
        if !status.success() {
            return Err(io(format!("become uid {uid} to end its processes"))(
                std::io::Error::other(format!("{status}")),
            ));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    for shared in ["/tmp", "/var/tmp", "/dev/shm"] {
        let Ok(entries) = fs::read_dir(shared) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match fs::symlink_metadata(&path) {
                Ok(m) if m.uid() == uid && m.is_dir() => {
                    let _ = fs::remove_dir_all(&path);
                }
                Ok(m) if m.uid() == uid => {
                    let _ = fs::remove_file(&path);
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Processes (and threads) our uid runs now, from `/proc`.
fn own_processes() -> u64 {
    // SAFETY: getuid has no preconditions.
    let me = unsafe { libc::getuid() };
    // Threads count too: four a process is the allowance.
    processes_of(me).len() as u64 * 4
}

/// Ids of the live (not zombie) processes whose real uid is `uid`, from `/proc`.
pub fn processes_of(uid: u32) -> Vec<u32> {
    tasks_of(uid, false)
}

/// Zombie processes of `uid` (dead, waiting for init to reap them).
fn zombies_of(uid: u32) -> u64 {
    tasks_of(uid, true).len() as u64
}

fn tasks_of(uid: u32, zombies: bool) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            fs::read_to_string(format!("/proc/{pid}/status")).is_ok_and(|s| {
                let zombie = s
                    .lines()
                    .any(|l| l.starts_with("State:") && l.contains('Z'));
                zombie == zombies
                    && s.lines()
                        .find_map(|l| l.strip_prefix("Uid:"))
                        .and_then(|l| l.split_whitespace().next()?.parse::<u32>().ok())
                        == Some(uid)
            })
        })
        .collect()
}
