//! The `longforge` binary: the command line of [`longforge::run_cli`] with the built-in families.

use std::process::ExitCode;

fn main() -> ExitCode {
    large_buffers_back_to_the_system();
    longforge::run_cli(&longforge::Registry::builtin(), std::env::args_os())
}

/// glibc serves an allocation of 128 KiB or more from its own mapping, but raises that threshold
/// each time such a mapping is freed, up to 32 MiB: after the first megabyte-sized text is
/// dropped, later ones come from the heap and stay resident after use. A 1M-token sample is a
/// few such texts (the context, the prompt, their JSON and Parquet columns), and with the
/// dynamic threshold its generation peaked about 26 MB higher (141 MB against 115 MB, measured
/// with `/usr/bin/time` on `generate needlebench --lengths 1m`). A fixed 1 MiB threshold keeps
/// buffers of a megabyte or more out of the heap; smaller ones are unaffected.
fn large_buffers_back_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning value; it is called before any thread is started.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
