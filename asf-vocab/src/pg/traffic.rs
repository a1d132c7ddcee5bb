//! Streams, captures and the send-and-expect helpers of VPP's
//! `framework.py`, with its CLI and files.

use std::net::Ipv6Addr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use asf_packet::pcap::{self, LinkType, PcapError};
use asf_packet::{Bindings, HopByHop, Ipv6, Nd, NdMsg, Packet, UdpLayer};

use super::interface::{PgInterface, PgMode, PgState};
use asf_core::case::{AssertionFailed, StatsDiff, TestCase, TestResult};
use asf_packet::{Arp, Ether, Mac, NdOpt, NdOption};

/// How long the packet generator may run before a test gives up waiting
/// (VPP's framework's limit).
const PG_RUN_LIMIT: Duration = Duration::from_secs(300);

/// A capture that is not what the test expected. The capture is kept in
/// the class dir with a decoded text beside it, and the error names both.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// Nothing came where packets were expected.
    #[error("No packets captured on {intf} (timeout is {timeout}); expected {expected}")]
    Nothing {
        /// The interface.
        intf: String,
        /// The time limit, as VPP's framework prints it.
        timeout: String,
        /// How many were expected.
        expected: usize,
    },
    /// Another number of packets came.
    #[error("Captured packets mismatch, captured {captured} packets, expected {expected} packets on {intf}; the capture is kept as {kept} (decoded: {kept}.txt):\n{summary}", kept = kept.display())]
    Mismatch {
        /// The interface.
        intf: String,
        /// How many came.
        captured: usize,
        /// How many were expected.
        expected: usize,
        /// The copy of the capture.
        kept: PathBuf,
        /// A line per packet (the first ten).
        summary: String,
    },
    /// Packets came where none were expected.
    #[error("Unexpected packet on {intf} ({captured} packets captured in total){remark}; the capture is kept as {kept} (decoded: {kept}.txt):\n{first}", kept = kept.display())]
    Unexpected {
        /// The interface.
        intf: String,
        /// How many came.
        captured: usize,
        /// The test's remark, if any.
        remark: String,
        /// The copy of the capture.
        kept: PathBuf,
        /// The first packet, decoded.
        first: String,
    },
    /// `wait_for_packet` waited in vain.
    #[error("Packet didn't arrive within timeout ({secs} s) on {intf} ({file})", file = file.display())]
    NoPacket {
        /// The interface.
        intf: String,
        /// The time limit.
        secs: f64,
        /// The capture file.
        file: PathBuf,
    },
    /// A capture file that cannot be read.
    #[error("the capture of {intf} cannot be read")]
    Unreadable {
        /// The interface.
        intf: String,
        /// Why.
        #[source]
        source: PcapError,
    },
    /// A stream that cannot be sent: VPP refused it, or it is empty.
    #[error("the stream of {intf} ({file}) cannot be sent: {why}", file = file.display())]
    Stream {
        /// The interface.
        intf: String,
        /// The stream's pcap file.
        file: PathBuf,
        /// VPP's answer.
        why: String,
    },
}

/// Which captured packets a read drops.
#[derive(Clone, Copy, Debug, Default)]
pub enum Filter {
    /// VPP's framework's default: router advertisements to a multicast
    /// address and packets with a hop-by-hop Router Alert (MLD).
    #[default]
    Ipv6Misc,
    /// None.
    Nothing,
    /// Those for which this returns true.
    Custom(fn(&Packet) -> bool),
}

impl Filter {
    fn drops(self, p: &Packet) -> bool {
        match self {
            Filter::Ipv6Misc => is_ipv6_misc(p),
            Filter::Nothing => false,
            Filter::Custom(f) => f(p),
        }
    }
}

/// VPP's framework's default capture filter (`is_ipv6_misc`): a router
/// advertisement to a multicast address, or a hop-by-hop Router Alert.
pub fn is_ipv6_misc(p: &Packet) -> bool {
    if p.get::<Nd>()
        .is_some_and(|n| matches!(n.msg, NdMsg::Ra { .. }))
        && p.get::<Ipv6>().is_some_and(|ip| ip.dst.is_multicast())
    {
        return true;
    }
    p.get::<HopByHop>()
        .is_some_and(|h| has_router_alert(&h.options))
}

fn has_router_alert(options: &[u8]) -> bool {
    let mut i = 0;
    while i < options.len() {
        match options[i] {
            0 => i += 1,
            5 => return true,
            _ => i += 2 + usize::from(*options.get(i + 1).unwrap_or(&255)),
        }
    }
    false
}

fn link_type(mode: PgMode) -> LinkType {
    match mode {
        PgMode::Ethernet => LinkType::Ethernet,
        PgMode::Ip4 | PgMode::Ip6 => LinkType::RawIp,
    }
}

fn remove_file(path: &Path) -> TestResult {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display()).into()),
    }
}

/// Waits until no stream of the packet generator runs.
fn wait_for_pg_stop(t: &mut TestCase) -> TestResult {
    let deadline = Instant::now() + PG_RUN_LIMIT;
    loop {
        if !t.cli("show packet-generator")?.contains("Yes") {
            return Ok(());
        }
        if Instant::now() > deadline {
            tracing::error!("Timeout waiting for pg to stop");
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Options of a stream.
#[derive(Clone, Copy, Debug, Default)]
struct StreamOptions {
    worker: Option<u32>,
    replays: Option<u32>,
}

impl PgInterface {
    /// Writes `packets` as the interface's input stream and announces it
    /// to VPP (`add_stream`); [`super::start`] sends it.
    pub fn add_stream(&self, t: &mut TestCase, packets: &[Packet]) -> TestResult<&Self> {
        self.add_stream_on(t, packets, None)
    }

    /// The same, handled by worker `worker`.
    pub fn add_stream_on(
        &self,
        t: &mut TestCase,
        packets: &[Packet],
        worker: Option<u32>,
    ) -> TestResult<&Self> {
        self.stream(
            t,
            packets,
            StreamOptions {
                worker,
                replays: None,
            },
        )
    }

    /// The same, sent `replays` times.
    pub fn add_stream_replayed(
        &self,
        t: &mut TestCase,
        packets: &[Packet],
        replays: u32,
    ) -> TestResult<&Self> {
        self.stream(
            t,
            packets,
            StreamOptions {
                worker: None,
                replays: Some(replays),
            },
        )
    }

    fn stream(&self, t: &mut TestCase, packets: &[Packet], o: StreamOptions) -> TestResult<&Self> {
        self.must_be_pg()?;
        if packets.is_empty() {
            // VPP takes a pcap of no packets as a stream without a limit,
            // which never ends.
            return Err(CaptureError::Stream {
                intf: self.name().to_string(),
                file: self.in_path(o.worker),
                why: "no packets to send (VPP would run an empty stream without end)".into(),
            }
            .into());
        }
        let path = self.in_path(o.worker);
        if path.exists() {
            wait_for_pg_stop(t)?;
            remove_file(&path)?;
        }
        pcap::write(&path, link_type(self.mode()), packets)?;
        let mut cli = format!(
            "packet-generator new pcap {} source pg{} name {}",
            path.display(),
            self.pg_index(),
            self.stream_name(o.worker)
        );
        match (o.replays, o.worker) {
            (Some(n), _) => cli.push_str(&format!(" limit {n}")),
            (None, Some(w)) => cli.push_str(&format!(" worker {w}")),
            (None, None) => {}
        }
        t.cli(&cli).map_err(|e| CaptureError::Stream {
            intf: self.name().to_string(),
            file: path.clone(),
            why: format!("VPP refused it: {e}"),
        })?;
        let entry = (self.clone(), o.worker);
        if !t
            .class_data::<PgState>()
            .pcaps
            .iter()
            .any(|(i, w)| i.pg_index() == self.pg_index() && *w == o.worker)
        {
            t.class_data::<PgState>().pcaps.push(entry);
        }
        tracing::debug!(
            "stream of {} packets into {}: {}",
            packets.len(),
            self.name(),
            path.display()
        );
        Ok(self)
    }

    fn must_be_pg(&self) -> TestResult {
        if self.is_pg() {
            Ok(())
        } else {
            Err(format!(
                "{} is not a packet-generator interface: it has no streams or captures",
                self.name()
            )
            .into())
        }
    }

    fn capture_cli(&self) -> String {
        format!(
            "packet-generator capture {} pcap {}",
            self.name(),
            self.out_path().display()
        )
    }

    /// Starts capturing what VPP sends on the interface into a new
    /// `pg<N>_out.pcap` (`enable_capture`).
    pub fn enable_capture(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.must_be_pg()?;
        self.disable_capture(t)?;
        wait_for_pg_stop(t)?;
        remove_file(&self.out_path())?;
        t.cli(&self.capture_cli())?;
        t.class_data::<PgState>().read.remove(&self.pg_index());
        Ok(self)
    }

    /// Stops capturing.
    pub fn disable_capture(&self, t: &mut TestCase) -> TestResult<&Self> {
        t.cli(&format!("{} disable", self.capture_cli()))?;
        Ok(self)
    }

    /// What the interface captured, once the generator stopped, without
    /// the packets `filter` drops and no count expected
    /// (`_get_capture(filter_out_fn=...)`; empty when nothing came).
    pub fn capture_with(&self, t: &mut TestCase, filter: Filter) -> TestResult<Vec<Packet>> {
        Ok(self.read_capture(t, filter)?.unwrap_or_default())
    }

    /// What the interface captured, once the generator stopped, with the
    /// default filter and no count expected (`_get_capture`; empty when
    /// nothing came).
    pub fn capture(&self, t: &mut TestCase) -> TestResult<Vec<Packet>> {
        Ok(self.read_capture(t, Filter::default())?.unwrap_or_default())
    }

    /// Fails if VPP sent anything on the interface, saying `remark`.
    pub fn assert_nothing_captured_remark(
        &self,
        t: &mut TestCase,
        remark: &str,
    ) -> TestResult<&Self> {
        let mut e = Expect::new(self, 0);
        e.remark = Some(remark.to_string());
        self.get_capture_with(t, &e)?;
        Ok(self)
    }

    /// The capture as it is now, filtered (None: no file yet).
    fn read_capture(&self, t: &mut TestCase, filter: Filter) -> TestResult<Option<Vec<Packet>>> {
        wait_for_pg_stop(t)?;
        let path = self.out_path();
        if !path.exists() {
            tracing::debug!("Capture file {} not found after pg stop", path.display());
            return Ok(None);
        }
        let cap = pcap::read(&path).map_err(|source| CaptureError::Unreadable {
            intf: self.name().to_string(),
            source,
        })?;
        let all = cap.packets_with(&bindings(t));
        let n = all.len();
        let kept: Vec<Packet> = all.into_iter().filter(|p| !filter.drops(p)).collect();
        tracing::debug!("Capture has {n} packets; {} filtered out", n - kept.len());
        Ok(Some(kept))
    }

    /// What VPP sent on the interface: exactly `expected` packets after the
    /// generator stopped (`get_capture`), else a [`CaptureError`].
    pub fn get_capture(&self, t: &mut TestCase, expected: usize) -> TestResult<Vec<Packet>> {
        self.get_capture_with(t, &Expect::new(self, expected))
    }

    /// The same with a time limit, a filter or a remark.
    pub fn get_capture_with(&self, t: &mut TestCase, e: &Expect) -> TestResult<Vec<Packet>> {
        let name = match &e.remark {
            Some(r) => format!("{} ({r})", self.name()),
            None => self.name().to_string(),
        };
        let mut remaining = e.timeout;
        let capture = loop {
            let start = Instant::now();
            let capture = self.read_capture(t, e.filter)?;
            let got = capture.as_ref().map_or(0, Vec::len);
            if got == e.count && (got > 0 || e.count == 0) {
                return Ok(capture.unwrap_or_default());
            }
            if got > e.count {
                break capture;
            }
            match remaining {
                None => break capture,
                Some(r) => match r.checked_sub(start.elapsed()) {
                    Some(left) if !left.is_zero() => {
                        remaining = Some(left);
                        std::thread::sleep(Duration::from_millis(10).min(left));
                    }
                    _ => break capture,
                },
            }
        };
        let got = capture.as_ref().map_or(0, Vec::len);
        if got == 0 {
            if e.count == 0 {
                return Ok(Vec::new());
            }
            log_trace(t);
            return Err(CaptureError::Nothing {
                intf: name,
                timeout: e
                    .timeout
                    .map_or("None".into(), |d| format!("{}s", d.as_secs_f64())),
                expected: e.count,
            }
            .into());
        }
        let packets = capture.unwrap_or_default();
        let kept = keep(
            t,
            self,
            &packets,
            if e.count == 0 {
                "unexpected"
            } else {
                "count-mismatch"
            },
        )?;
        log_trace(t);
        if e.count == 0 {
            return Err(CaptureError::Unexpected {
                intf: self.name().to_string(),
                captured: got,
                remark: e
                    .remark
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default(),
                kept,
                first: packets[0].show(),
            }
            .into());
        }
        Err(CaptureError::Mismatch {
            intf: name,
            captured: got,
            expected: e.count,
            kept,
            summary: summary(&packets),
        }
        .into())
    }

    /// Fails if VPP sent anything on the interface (`assert_nothing_captured`).
    pub fn assert_nothing_captured(&self, t: &mut TestCase) -> TestResult<&Self> {
        self.get_capture_with(t, &Expect::new(self, 0))?;
        Ok(self)
    }

    /// The next packet of the capture, waiting up to `timeout` for it
    /// (`wait_for_packet`; the generator may still run).
    pub fn wait_for_packet(&self, t: &mut TestCase, timeout: Duration) -> TestResult<Packet> {
        self.wait_for_packet_filtered(t, timeout, Some(Filter::Ipv6Misc))
    }

    /// The same with another filter (None: keep every packet).
    pub fn wait_for_packet_filtered(
        &self,
        t: &mut TestCase,
        timeout: Duration,
        filter: Option<Filter>,
    ) -> TestResult<Packet> {
        let filter = filter.unwrap_or(Filter::Nothing);
        let deadline = Instant::now() + timeout;
        let path = self.out_path();
        loop {
            if let Ok(bytes) = std::fs::read(&path) {
                if let Ok(cap) = pcap::parse(&bytes, &path) {
                    let link = cap.link.link();
                    let state = t.class_data::<PgState>();
                    let done = state.read.entry(self.pg_index()).or_insert(0);
                    while *done < cap.records.len() {
                        let p =
                            Packet::dissect_with(&cap.records[*done].data, link, &state.bindings);
                        *done += 1;
                        if filter.drops(&p) {
                            tracing::debug!("a packet on {} was filtered out", self.name());
                            continue;
                        }
                        return Ok(p);
                    }
                }
            }
            if Instant::now() >= deadline {
                return Err(CaptureError::NoPacket {
                    intf: self.name().to_string(),
                    secs: timeout.as_secs_f64(),
                    file: path,
                }
                .into());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl PgInterface {
    /// The ARP request the remote host sends for VPP's address.
    pub fn create_arp_req(&self) -> Packet {
        Ether::new(self.remote_mac(), Mac::BROADCAST)
            / Arp::who_has(self.remote_mac(), self.remote_ip4(), self.local_ip4())
    }

    /// The neighbour solicitation the remote host sends for `addr`
    /// (VPP's address by default).
    pub fn create_ndp_req(&self, addr: Option<Ipv6Addr>) -> Packet {
        let addr = addr.unwrap_or_else(|| self.local_ip6());
        let nsma = asf_packet::solicited_node(addr);
        Ether::new(self.remote_mac(), Mac::ipv6_multicast(nsma))
            / Ipv6::new(self.remote_ip6(), nsma).hlim(255)
            / Nd::ns(addr)
            / NdOpt::src_ll(self.remote_mac())
    }

    /// Asks VPP for its MAC by ARP and keeps the answer; no answer is
    /// logged and not an error, as in VPP's framework (`resolve_arp`).
    pub fn resolve_arp(&self, t: &mut TestCase) -> TestResult<&Self> {
        tracing::info!(
            "Sending ARP request for {} on port {}",
            self.local_ip4(),
            self.name()
        );
        self.add_stream(t, &[self.create_arp_req()])?;
        self.enable_capture(t)?;
        start(t)?;
        let trace = t.cli("show trace").unwrap_or_default();
        tracing::info!("{trace}");
        match self.wait_for_packet(t, Duration::from_secs(1)) {
            Ok(p) => match p.get::<Arp>() {
                Some(a) if a.op == Arp::IS_AT => self.set_local_mac(a.hwsrc),
                Some(_) => tracing::info!("No ARP received on port {}", self.name()),
                None => {
                    return Err(format!("Unexpected response to ARP request:\n{}", p.show()).into())
                }
            },
            Err(_) => tracing::info!("No ARP received on port {}", self.name()),
        }
        Ok(self)
    }

    /// Asks VPP for its MAC by neighbour discovery and keeps the answer
    /// (`resolve_ndp`); no answer within `timeout` is an error.
    pub fn resolve_ndp(&self, t: &mut TestCase, timeout: Duration) -> TestResult<&Self> {
        tracing::info!(
            "Sending NDP request for {} on port {}",
            self.local_ip6(),
            self.name()
        );
        let mac = ndp_exchange(t, self, self.create_ndp_req(None), timeout)?;
        self.set_local_mac(mac);
        Ok(self)
    }
}

impl PgInterface {
    /// Asks VPP for its MAC by a neighbour solicitation of its link-local
    /// address (`resolve_ndp(link_layer=True)`).
    pub fn resolve_ndp_link_local(&self, t: &mut TestCase, timeout: Duration) -> TestResult<&Self> {
        let addr = self.local_ip6_ll(t)?;
        tracing::info!("Sending NDP request for {addr} on port {}", self.name());
        let mac = ndp_exchange(t, self, self.create_ndp_req(Some(addr)), timeout)?;
        self.set_local_mac(mac);
        Ok(self)
    }
}

/// Waits out VPP's ARP/ND request throttle: VPP does not send a request
/// for an address it asked for less than 1 ms ago (`throttle_init(...,
/// 1e-3)` in `ip4_neighbor.c` and `ip6_neighbor.c`). VPP's Python tests
/// never send fast enough to meet it; asf does, so a test that expects a
/// second request for the same address calls this first.
pub fn past_resolution_throttle(t: &mut TestCase) {
    t.sleep(
        0.002,
        "VPP throttles ARP/ND requests for an address to one a millisecond",
    );
}

/// Sends neighbour solicitation `req` on `via` and waits up to `timeout`
/// for the advertisement; VPP's MAC from its target link-layer option.
pub(crate) fn ndp_exchange(
    t: &mut TestCase,
    via: &PgInterface,
    req: Packet,
    timeout: Duration,
) -> TestResult<Mac> {
    via.add_stream(t, &[req])?;
    via.enable_capture(t)?;
    start(t)?;
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let p = via.wait_for_packet_filtered(t, left, None)?;
        let na = p.get::<Nd>().is_some_and(|n| n.ty() == 136);
        let ll = p.layers().iter().find_map(|l| match l {
            asf_packet::Layer::NdOpt(NdOpt {
                opt: NdOption::DstLl(m),
                ..
            }) => Some(*m),
            _ => None,
        });
        if let (true, Some(mac)) = (na, ll) {
            return Ok(mac);
        }
        tracing::info!("Unexpected response to NDP request:\n{}", p.show());
    }
}

/// One line per packet, the first ten.
fn summary(packets: &[Packet]) -> String {
    let mut lines: Vec<String> = packets
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, p)| format!("  #{i}: {}", p.summary()))
        .collect();
    if packets.len() > 10 {
        lines.push(format!("  ... {} more", packets.len() - 10));
    }
    lines.join("\n")
}

/// The packets decoded, as VPP's framework's `ppc` prints them.
fn decoded(headline: &str, packets: &[Packet]) -> String {
    let mut out = format!("{headline}\n");
    for (i, p) in packets.iter().enumerate() {
        out.push_str(&format!(
            "Packet #{i}:\n{}\n\n{}\n",
            p.hexdump(),
            p.show_full()
        ));
    }
    out
}

/// Keeps a failed capture and the streams that caused it in the class dir,
/// each with its decoded text; returns the capture's copy.
fn keep(
    t: &mut TestCase,
    intf: &PgInterface,
    packets: &[Packet],
    kind: &str,
) -> TestResult<PathBuf> {
    t.class_data::<PgState>().kept += 1;
    let n = t.class_data::<PgState>().kept;
    let test = t.test_name().unwrap_or("class");
    let dir = t.tempdir().to_path_buf();
    let kept = dir.join(format!("{test}.{}.{kind}-{n}.pcap", intf.name()));
    std::fs::copy(intf.out_path(), &kept)?;
    std::fs::write(
        kept.with_extension("pcap.txt"),
        decoded(
            &format!("{} packets captured on {}:", packets.len(), intf.name()),
            packets,
        ),
    )?;
    for (i, w) in t.class_data::<PgState>().old_pcaps.clone() {
        let src = i.in_path(w);
        let Ok(cap) = pcap::read(&src) else { continue };
        let copy = dir.join(format!("{test}.{}.in-{n}.pcap", i.name()));
        std::fs::copy(&src, &copy)?;
        std::fs::write(
            copy.with_extension("pcap.txt"),
            decoded(
                &format!("{} packets sent into {}:", cap.records.len(), i.name()),
                &cap.packets_with(&bindings(t)),
            ),
        )?;
    }
    Ok(kept)
}

/// Puts VPP's packet trace into the class log.
fn log_trace(t: &mut TestCase) {
    match t.cli("show trace max 100") {
        Ok(trace) => tracing::info!("show trace:\n{trace}"),
        Err(e) => tracing::warn!("show trace: {e}"),
    }
}

/// From now on, the class's captures read datagrams to UDP port `dport`
/// as `layer` (scapy's `bind_layers(UDP, VXLAN, dport=1111)`). The binding
/// holds for the class, not for other classes running beside it.
pub fn bind_udp_dport(t: &mut TestCase, dport: u16, layer: UdpLayer) {
    t.class_data::<PgState>()
        .bindings
        .bind_udp_dport(dport, layer);
}

fn bindings(t: &mut TestCase) -> Bindings {
    t.class_data::<PgState>().bindings.clone()
}

/// Captures on `interfaces` (`pg_enable_capture`).
pub fn enable_capture(t: &mut TestCase, interfaces: &[PgInterface]) -> TestResult {
    for i in interfaces {
        i.enable_capture(t)?;
    }
    Ok(())
}

/// Sends the streams added since the last start and waits until they are
/// sent, with VPP's packet trace on (`pg_start`).
pub fn start(t: &mut TestCase) -> TestResult {
    start_with(t, true)
}

/// The same, with the packet trace on or off.
pub fn start_with(t: &mut TestCase, trace: bool) -> TestResult {
    for (i, w) in std::mem::take(&mut t.class_data::<PgState>().old_pcaps) {
        let path = i.in_path(w);
        if path.exists() {
            wait_for_pg_stop(t)?;
            remove_file(&path)?;
        }
    }
    if trace {
        t.cli("clear trace")?;
        t.cli("trace add pg-input 1000")?;
    }
    t.cli("packet-generator enable")?;
    wait_for_pg_stop(t)?;
    let started = std::mem::take(&mut t.class_data::<PgState>().pcaps);
    for (i, w) in &started {
        t.cli(&format!("packet-generator delete {}", i.stream_name(*w)))?;
    }
    t.class_data::<PgState>().old_pcaps = started;
    Ok(())
}

/// Packets to send into an interface (`Send` of `send_and_expect_multi`).
#[derive(Clone, Debug)]
pub struct Send {
    /// The interface.
    pub interface: PgInterface,
    /// The packets.
    pub packets: Vec<Packet>,
    /// The worker whose stream it is.
    pub worker: Option<u32>,
}

impl Send {
    /// `packets` into `interface`.
    pub fn new(interface: &PgInterface, packets: &[Packet]) -> Send {
        Send {
            interface: interface.clone(),
            packets: packets.to_vec(),
            worker: None,
        }
    }
}

/// What a capture must hold (`Expect` of `send_and_expect_multi`).
#[derive(Clone, Debug)]
pub struct Expect {
    /// The interface.
    pub interface: PgInterface,
    /// How many packets.
    pub count: usize,
    /// Which packets are dropped before counting.
    pub filter: Filter,
    /// A time limit for them to come (None: one read once the generator
    /// stopped, as VPP's framework's default).
    pub timeout: Option<Duration>,
    /// Said in the error.
    pub remark: Option<String>,
}

impl Expect {
    /// `count` packets on `interface`.
    pub fn new(interface: &PgInterface, count: usize) -> Expect {
        Expect {
            interface: interface.clone(),
            count,
            filter: Filter::default(),
            timeout: None,
            remark: None,
        }
    }
}

/// Options of [`send_and_expect_with`].
#[derive(Clone, Debug, Default)]
pub struct SendOptions {
    /// How many packets the output must get (default: as many as sent).
    pub n_rx: Option<usize>,
    /// The worker that sends.
    pub worker: Option<u32>,
    /// Packet trace off (it is on by default).
    pub no_trace: bool,
    /// A time limit for the replies.
    pub timeout: Option<Duration>,
    /// Counters that must move by these amounts.
    pub stats_diff: Option<StatsDiff>,
    /// Which captured packets are dropped before counting.
    pub filter: Filter,
    /// The other interfaces that must stay silent (`assert_nothing_captured`).
    pub silent: Vec<PgInterface>,
    /// Said in the error of a silent interface that captured something,
    /// and logged (`remark=` of VPP's framework).
    pub remark: Option<String>,
}

impl SendOptions {
    /// The defaults with a remark (`remark="..."`).
    pub fn remark(text: impl Into<String>) -> SendOptions {
        SendOptions {
            remark: Some(text.into()),
            ..SendOptions::default()
        }
    }
}

/// Adds the stream, captures on every pg interface of the class, and
/// starts the generator (`pg_send`).
pub fn pg_send(
    t: &mut TestCase,
    intf: &PgInterface,
    packets: &[Packet],
    worker: Option<u32>,
) -> TestResult {
    intf.add_stream_on(t, packets, worker)?;
    let all = t.class_data::<PgState>().interfaces.clone();
    enable_capture(t, &all)?;
    start(t)
}

/// Sends `packets` into `input` and returns exactly as many from `output`
/// (`send_and_expect`).
pub fn send_and_expect(
    t: &mut TestCase,
    input: &PgInterface,
    packets: &[Packet],
    output: &PgInterface,
) -> TestResult<Vec<Packet>> {
    send_and_expect_with(t, input, packets, output, &SendOptions::default())
}

/// The same with options: another count, a worker, counters to check.
pub fn send_and_expect_with(
    t: &mut TestCase,
    input: &PgInterface,
    packets: &[Packet],
    output: &PgInterface,
    o: &SendOptions,
) -> TestResult<Vec<Packet>> {
    let mut send = Send::new(input, packets);
    send.worker = o.worker;
    let mut expect = Expect::new(output, o.n_rx.unwrap_or(packets.len()));
    expect.filter = o.filter;
    let mut caps = send_and_expect_multi(t, &[send], &[expect], o)?;
    Ok(caps.remove(0))
}

/// Sends each [`Send`] and checks each [`Expect`]; the interfaces in
/// `o.silent` must capture nothing (`send_and_expect_multi`).
pub fn send_and_expect_multi(
    t: &mut TestCase,
    sends: &[Send],
    expects: &[Expect],
    o: &SendOptions,
) -> TestResult<Vec<Vec<Packet>>> {
    let snapshot = match &o.stats_diff {
        Some(d) => Some(t.snapshot_stats(d)?),
        None => None,
    };
    for s in sends {
        s.interface.add_stream_on(t, &s.packets, s.worker)?;
    }
    let all = t.class_data::<PgState>().interfaces.clone();
    enable_capture(t, &all)?;
    start_with(t, !o.no_trace)?;
    let deadline = o.timeout.map(|d| Instant::now() + d);
    let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
    let mut out = Vec::new();
    for e in expects {
        let mut e = e.clone();
        if e.timeout.is_none() {
            e.timeout = left();
        }
        out.push(e.interface.get_capture_with(t, &e)?);
    }
    for s in &o.silent {
        if expects
            .iter()
            .any(|e| e.interface.pg_index() == s.pg_index())
        {
            continue;
        }
        let mut e = Expect::new(s, 0);
        e.timeout = left();
        e.remark.clone_from(&o.remark);
        s.get_capture_with(t, &e)?;
    }
    if let (Some(d), Some(snap)) = (&o.stats_diff, &snapshot) {
        t.compare_stats_with_snapshot(d, snap);
    }
    Ok(out)
}

/// Sends `packets` into `input`, expects as many on `output` and nothing
/// on any other pg interface (`send_and_expect_only`).
pub fn send_and_expect_only(
    t: &mut TestCase,
    input: &PgInterface,
    packets: &[Packet],
    output: &PgInterface,
) -> TestResult<Vec<Packet>> {
    pg_send(t, input, packets, None)?;
    let rx = output.get_capture(t, packets.len())?;
    for i in t.class_data::<PgState>().interfaces.clone() {
        if i.pg_index() != output.pg_index() {
            i.assert_nothing_captured(t)?;
        }
    }
    Ok(rx)
}

/// Sends `packets` into `input` and returns what came on `output`: at
/// least one, at most as many as sent (`send_and_expect_some`).
pub fn send_and_expect_some(
    t: &mut TestCase,
    input: &PgInterface,
    packets: &[Packet],
    output: &PgInterface,
) -> TestResult<Vec<Packet>> {
    pg_send(t, input, packets, None)?;
    let rx = output
        .read_capture(t, Filter::default())?
        .unwrap_or_default();
    if rx.is_empty() {
        // `assertTrue(len(rx) > 0)` in VPP's framework: a FAIL.
        let nothing = CaptureError::Nothing {
            intf: output.name().to_string(),
            timeout: "None".into(),
            expected: 1,
        };
        return Err(AssertionFailed::new(nothing.to_string()).into());
    }
    if rx.len() > packets.len() {
        return Err(AssertionFailed::new(format!(
            "len(rx) ({}) > len(pkts) ({}) on {}",
            rx.len(),
            packets.len(),
            output.name()
        ))
        .into());
    }
    Ok(rx)
}

/// Sends `packets` into `input`; every output must get some
/// (`send_and_expect_load_balancing`).
pub fn send_and_expect_load_balancing(
    t: &mut TestCase,
    input: &PgInterface,
    packets: &[Packet],
    outputs: &[PgInterface],
) -> TestResult<Vec<Vec<Packet>>> {
    pg_send(t, input, packets, None)?;
    let mut out = Vec::new();
    for o in outputs {
        let rx = o.read_capture(t, Filter::default())?.unwrap_or_default();
        if rx.is_empty() {
            return Err(AssertionFailed::new(format!(
                "0 != len(rx) ({}) on {}: no packet was balanced to it",
                rx.len(),
                o.name()
            ))
            .into());
        }
        out.push(rx);
    }
    Ok(out)
}

/// Sends `packets` into `input`; no pg interface may capture anything
/// (`send_and_assert_no_replies`).
pub fn send_and_assert_no_replies(
    t: &mut TestCase,
    input: &PgInterface,
    packets: &[Packet],
) -> TestResult {
    send_and_assert_no_replies_with(t, input, packets, &SendOptions::default())
}

/// The same with options (`remark=`, `timeout=`, `stats_diff=`, a worker,
/// no trace); `n_rx`, `filter` and `silent` do not apply.
pub fn send_and_assert_no_replies_with(
    t: &mut TestCase,
    input: &PgInterface,
    packets: &[Packet],
    o: &SendOptions,
) -> TestResult {
    let mut send = Send::new(input, packets);
    send.worker = o.worker;
    let silent = SendOptions {
        silent: t.class_data::<PgState>().interfaces.clone(),
        ..o.clone()
    };
    send_and_expect_multi(t, &[send], &[], &silent)?;
    if let Some(r) = &o.remark {
        tracing::debug!("send_and_assert_no_replies: {r}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use asf_packet::{Ether, Icmpv6, Mac, NdOpt};

    #[test]
    fn the_default_filter_drops_multicast_ras_and_router_alerts_only() {
        let ra = Ether::default()
            / Ipv6::new("fe80::1".parse().unwrap(), "ff02::1".parse().unwrap())
            / Nd::ra()
            / NdOpt::src_ll(Mac::ZERO);
        assert!(is_ipv6_misc(&Packet::ether(&ra.build())));
        let unicast_ra = Ether::default()
            / Ipv6::new("fe80::1".parse().unwrap(), "fe80::2".parse().unwrap())
            / Nd::ra();
        assert!(!is_ipv6_misc(&Packet::ether(&unicast_ra.build())));
        let mld = Ether::default()
            / Ipv6::new("fe80::1".parse().unwrap(), "ff02::16".parse().unwrap())
            / HopByHop::new(HopByHop::router_alert())
            / Icmpv6 {
                ty: 143,
                ..Icmpv6::default()
            };
        assert!(is_ipv6_misc(&Packet::ether(&mld.build())));
        let ns = Ether::default()
            / Ipv6::new(
                "fe80::1".parse().unwrap(),
                "ff02::1:ff00:1".parse().unwrap(),
            )
            / Nd::ns("fd01::1".parse().unwrap());
        assert!(!is_ipv6_misc(&Packet::ether(&ns.build())));
        assert!(!has_router_alert(&[1, 4, 0, 0, 0, 0]));
        assert!(has_router_alert(&[0, 1, 0, 5, 2, 0, 0]));
    }
}
