//! What can go wrong while generating.

use std::path::PathBuf;

use crate::schema::SchemaError;

/// Why bindings could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or parsed.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// A definition the generator cannot express.
    #[error("{file}: {what}")]
    Unsupported {
        /// The `.api.json` file.
        file: PathBuf,
        /// The definition and what is wrong with it.
        what: String,
    },
    /// Two files give the same module name.
    #[error("module {module} is given twice: {first:?} and {second:?}")]
    DuplicateModule {
        /// The module name.
        module: String,
        /// One file.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// No `.api.json` file was given or found.
    #[error(
        "no .api.json files: give some with Builder::file or Builder::api_dir (looked in {0:?})"
    )]
    NoFiles(Vec<PathBuf>),
    /// The output could not be written.
    #[error("cannot write {path:?}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `OUT_DIR` is not set and no output directory was given.
    #[error("OUT_DIR is not set: call generate() from a build script, or set Builder::out_dir")]
    NoOutDir,
}
