use asf_core::vpp_test;

/// Class
#[vpp_test]
mod test_elsewhere;

fn main() {}
