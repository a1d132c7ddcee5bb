//! What every VPP object is ([`VppObject`], [`AddDel`]) and how a test
//! adds, registers and removes one.

use std::fmt;

use asf_core::api::client::ApiClient;
use asf_core::api::message::Request;
use asf_core::case::{TestCase, TestResult};

/// A VPP object a test configures.
pub trait VppObject: fmt::Display + Clone + Send + 'static {
    /// Configures it in VPP, learning what VPP chose (an interface index).
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult;
    /// Removes it from VPP (also at tear-down, with the API client only).
    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult;
    /// Whether VPP has it.
    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool>;
}

/// An object that one request adds and the same request with `is_add`
/// false removes, as most of VPP's `*_add_del` messages do. Implementing
/// it makes the type a [`VppObject`].
pub trait AddDel: fmt::Display + Clone + Send + 'static {
    /// The add/del request.
    type Request: Request;
    /// The request that adds (`is_add`) or removes the object.
    fn request(&self, is_add: bool) -> Self::Request;
    /// Learns what the add's reply says (the index VPP gave a tunnel).
    fn added(&mut self, _reply: &<Self::Request as Request>::Reply) {}
    /// Whether VPP has it.
    fn query(&self, api: &mut ApiClient) -> TestResult<bool>;
}

impl<O: AddDel> VppObject for O {
    fn add_vpp_config(&mut self, api: &mut ApiClient) -> TestResult {
        let reply = api.request(&self.request(true))?;
        self.added(&reply);
        Ok(())
    }

    fn remove_vpp_config(&self, api: &mut ApiClient) -> TestResult {
        api.request(&self.request(false))?;
        Ok(())
    }

    fn query_vpp_config(&self, api: &mut ApiClient) -> TestResult<bool> {
        self.query(api)
    }
}

/// Adds `o` and registers its removal at the test's tear-down (newest
/// first), as VPP's framework's object registry does; returns it, with
/// what VPP chose for it.
pub fn add<O: VppObject>(t: &mut TestCase, mut o: O) -> TestResult<O> {
    o.add_vpp_config(t.api())?;
    register(t, &o);
    Ok(o)
}

/// Registers the removal of `o`, already in VPP, at the test's tear-down
/// (for objects made by a call returning their index: BVIs,
/// sub-interfaces). As VPP's framework's registry, the tear-down removes
/// only what VPP still has: a test may have removed it another way (a
/// bridge-domain port goes with its tunnel; a query that cannot be made
/// removes it). Class-level objects are not
/// registered: the registry would remove them after the first test.
pub fn register<O: VppObject>(t: &mut TestCase, o: &O) {
    let removal = o.clone();
    t.register(o.to_string(), move |api| {
        match removal.query_vpp_config(api) {
            Ok(false) => {
                tracing::debug!("{removal} is gone already");
                Ok(())
            }
            Ok(true) => removal.remove_vpp_config(api),
            Err(e) => {
                // A query VPP cannot answer must not leave the object behind.
                tracing::debug!("cannot ask whether VPP has {removal} ({e}): removing it");
                removal.remove_vpp_config(api)
            }
        }
    });
}

/// Removes `o` from VPP now and drops its registration
/// (`remove_vpp_config()` in a Python test).
pub fn remove<O: VppObject>(t: &mut TestCase, o: &O) -> TestResult {
    o.remove_vpp_config(t.api())?;
    t.unregister(&o.to_string());
    Ok(())
}
