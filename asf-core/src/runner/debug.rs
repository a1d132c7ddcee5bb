//! Debug modes of VPP's framework, from `DEBUG` and `STEP`: they force one
//! class at a time in the foreground and lift every time limit.

/// A debug mode (read with the configuration: [`crate::config::Debug`]).
pub use crate::config::Debug as Mode;

/// Prints how to attach a debugger, as VPP's framework does, and for `gdb`
/// waits for ENTER.
pub fn announce(mode: Option<Mode>, pid: u32, vpp: &std::path::Path) {
    let double = super::console::DOUBLE_LINE;
    let single = super::console::SINGLE_LINE;
    match mode {
        Some(Mode::Gdb) => {
            eprintln!("{double}\nSpawned VPP with PID: {pid}\n{single}");
            eprintln!(
                "You can attach VPP to GDB using:\n  sudo gdb {} -ex 'attach {pid}'",
                vpp.display()
            );
            eprintln!("Now is the time to attach gdb by running the above command and set up breakpoints etc.,");
            eprintln!("then resume VPP from within gdb.\n{single}");
            ask("press ENTER to continue running the testcase...");
        }
        Some(Mode::GdbServer) => {
            eprintln!("{double}\nSpawned GDB server with PID: {pid}\n{single}");
            eprintln!("You can attach to the GDB server using:\n  sudo gdb {} -ex 'target remote localhost:7777'", vpp.display());
            eprintln!("Now is the time to attach gdb, set up breakpoints etc., then resume VPP with 'continue'.\n{single}");
        }
        _ => {}
    }
}

/// Prints `prompt` and waits for a line from the terminal (not stdin, which
/// class processes do not have); without a terminal, goes on at once.
pub fn ask(prompt: &str) {
    use std::io::{BufRead, Write};
    match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
    {
        Ok(tty) => {
            let mut w = &tty;
            let _ = write!(w, "{prompt} ");
            let _ = w.flush();
            let mut line = String::new();
            let _ = std::io::BufReader::new(&tty).read_line(&mut line);
        }
        Err(_) => eprintln!("{prompt} (no terminal: going on)"),
    }
}

/// `DEBUG=core`: gdb on the core file, at the terminal.
pub fn open_core(vpp: &std::path::Path, core: &std::path::Path) {
    eprintln!("VPP dumped core: {}; starting gdb on it", core.display());
    let tty = || {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
    };
    let (Ok(i), Ok(o), Ok(e)) = (tty(), tty(), tty()) else {
        eprintln!(
            "no terminal for gdb: run `gdb {} {}`",
            vpp.display(),
            core.display()
        );
        return;
    };
    let _ = std::process::Command::new("gdb")
        .arg(vpp)
        .arg(core)
        .stdin(i)
        .stdout(o)
        .stderr(e)
        .status();
}
