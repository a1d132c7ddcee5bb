//! Running the suites: the command line, the parent scheduler, the class
//! processes, their events, and the console.

pub mod args;
pub mod class;
pub mod console;
pub mod cpus;
pub mod debug;
pub mod event;
pub mod html;
pub mod parent;
pub mod plan;
pub mod report;
pub mod scheduler;
pub mod signals;
