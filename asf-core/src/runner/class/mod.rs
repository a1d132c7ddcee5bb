//! The class process: boots the class's VPP, runs its tests one by one, and
//! reports each verdict to the parent as an [`super::event::Event`]. Split
//! by job: `lifecycle` runs the class, `boot` starts VPP, `teardown`
//! ends tests and the class, `verdict` judges, `log` writes the class
//! log, `state` is what they share.

mod boot;
mod lifecycle;
mod log;
mod state;
mod teardown;
mod verdict;

pub use boot::try_lock_class;
pub use lifecycle::run;
pub use teardown::remove_leftovers;
