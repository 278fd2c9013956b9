//! Outputs that must not touch inputs: the checks every command writing a folder beside the
//! files it reads makes before it reads anything.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

/// `path` made absolute with links resolved, whether or not it exists yet (the nearest folder
/// that exists is resolved, the rest appended), so two spellings of one file compare equal.
pub(crate) fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let mut rest = Vec::new();
    let mut at = path.to_path_buf();
    loop {
        if let Ok(p) = std::fs::canonicalize(&at) {
            return rest.iter().rev().fold(p, |p, part| p.join(part));
        }
        match (at.file_name().map(|n| n.to_os_string()), at.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                at = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Refuses outputs that would overwrite or delete an input: `--predictions-out` being an input
/// file or inside an input folder, `--out` being an input or holding one (`--force` replaces
/// the whole folder) or lying inside an input folder (which would change it), and the
/// predictions inside the dataset folder. Paths are compared resolved ([`canonical`]).
pub(crate) fn refuse_overwriting_inputs(
    out: &Path,
    predictions: Option<&Path>,
    inputs: &[PathBuf],
) -> Result<()> {
    let out_c = canonical(out);
    let pred_c = predictions.map(canonical);
    if let (Some(p), Some(pc)) = (predictions, &pred_c) {
        if pc.starts_with(&out_c) {
            bail!(
                "--predictions-out {} lies in the dataset folder --out {}; write the predictions elsewhere",
                p.display(),
                out.display()
            );
        }
    }
    for input in inputs.iter().filter(|i| i.exists()) {
        let ic = canonical(input);
        let kind = if input.is_dir() { "folder" } else { "file" };
        if let (Some(p), Some(pc)) = (predictions, &pred_c) {
            if *pc == ic {
                bail!(
                    "--predictions-out {} is the input file {}; writing it would overwrite the input, so give another path",
                    p.display(),
                    input.display()
                );
            }
            if input.is_dir() && pc.starts_with(&ic) {
                bail!(
                    "--predictions-out {} lies in the input folder {}; writing it would change the input, so give a path outside it",
                    p.display(),
                    input.display()
                );
            }
        }
        if ic.starts_with(&out_c) {
            bail!(
                "--out {} {} the input {kind} {}; the output would replace it (with --force, delete it), so choose another --out",
                out.display(),
                if ic == out_c { "is" } else { "holds" },
                input.display()
            );
        }
        if input.is_dir() && out_c.starts_with(&ic) {
            bail!(
                "--out {} lies in the input folder {}; writing there would change the input, so choose a folder outside it",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// Refuses, before anything is read or asked, outputs that would overwrite an input or each
/// other: an output that is an input file, or lies in an input folder (a dataset), or names
/// the same file as another output. `outputs` are (what the user calls it, path), such as
/// `("--out", ...)` or `("the CSV beside --out", ...)`. An output that is an existing folder
/// is refused as well (see [`crate::check_output`]).
pub(crate) fn refuse_clobbering(outputs: &[(&str, &Path)], inputs: &[&Path]) -> Result<()> {
    let resolved: Vec<PathBuf> = outputs.iter().map(|(_, p)| canonical(p)).collect();
    for (i, (what, path)) in outputs.iter().enumerate() {
        crate::check_output(path)?;
        for (j, (other, _)) in outputs.iter().enumerate().take(i) {
            if resolved[i] == resolved[j] {
                bail!(
                    "{other} and {what} are one file ({}); give them different paths",
                    path.display()
                );
            }
        }
        refuse_in_inputs(what, path, &resolved[i], inputs)?;
    }
    Ok(())
}

/// Refuses `path` (`resolved` by [`canonical`]) when it is one of `inputs` or lies in an input
/// folder.
fn refuse_in_inputs(what: &str, path: &Path, resolved: &Path, inputs: &[&Path]) -> Result<()> {
    for input in inputs.iter().filter(|i| i.exists()) {
        let ic = canonical(input);
        if resolved == ic {
            bail!(
                "{what} {} is the input {}; writing it would overwrite the input, so give another path",
                path.display(),
                input.display()
            );
        }
        if input.is_dir() && resolved.starts_with(&ic) {
            bail!(
                "{what} {} lies in the input folder {}; writing there would change it, so give a path outside it",
                path.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// Refuses a request store that would clash with a command's files: an output written inside
/// the store (its `answers.jsonl` holds every reply), or a store that is an input file or lies
/// in an input folder (the dataset, which must stay as generated).
pub(crate) fn refuse_store_clashes(
    store: &Path,
    outputs: &[(&str, &Path)],
    inputs: &[&Path],
) -> Result<()> {
    let sc = canonical(store);
    for (what, path) in outputs {
        if canonical(path).starts_with(&sc) {
            bail!(
                "{what} {} lies in the request store {}; writing there could overwrite its replies, so give a path outside it",
                path.display(),
                store.display()
            );
        }
    }
    refuse_in_inputs("--store", store, &sc, inputs)
}
