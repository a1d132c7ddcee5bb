//! `asf-apigen-subset <vpp api dir> <out dir> <message>...`: writes, for
//! every `.api.json` under the VPP api dir that defines one of the
//! messages, a subset holding those messages, what answers them and the
//! types they need, to `<out dir>/<file name>`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 || args[0].starts_with('-') {
        eprintln!("usage: asf-apigen-subset <vpp api dir> <out dir> <message>...");
        eprintln!("  e.g. asf-apigen-subset /usr/share/vpp/api api lb_vip_dump lb_as_dump");
        return ExitCode::from(2);
    }
    let (src, out) = (PathBuf::from(&args[0]), PathBuf::from(&args[1]));
    let wanted: Vec<&str> = args[2..].iter().map(String::as_str).collect();
    let files = match asf_apigen::schema::api_files_under(&src) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("asf-apigen-subset: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut found = Vec::new();
    for f in files {
        match asf_apigen::subset::subset(&f, &wanted) {
            Ok(None) => {}
            Ok(Some(text)) => {
                let dest = out.join(f.file_name().expect("a file name"));
                if let Err(e) =
                    std::fs::create_dir_all(&out).and_then(|()| std::fs::write(&dest, text))
                {
                    eprintln!("asf-apigen-subset: cannot write {}: {e}", dest.display());
                    return ExitCode::FAILURE;
                }
                println!("{}", dest.display());
                found.push(f);
            }
            Err(e) => {
                eprintln!("asf-apigen-subset: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    // Which messages no file defines.
    let mut defined = std::collections::HashSet::new();
    for f in &found {
        if let Ok(a) = asf_apigen::schema::ApiFile::read(f) {
            defined.extend(a.messages.into_iter().map(|m| m.name));
        }
    }
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|w| !defined.contains(*w))
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "asf-apigen-subset: no file under {} defines {}",
            src.display(),
            missing.join(", ")
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
