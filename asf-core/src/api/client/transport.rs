//! Framing on the socket: sending a body, reading frames with a deadline
//! while checking that VPP lives, and collecting what answers a request.

use super::*;

impl ApiClient {
    pub(super) fn send(&mut self, body: &[u8]) -> Result<(), ApiError> {
        let mut frame = std::mem::take(&mut self.tx);
        frame.clear();
        frame.extend_from_slice(&[0u8; 8]);
        frame.extend_from_slice(&u32::try_from(body.len()).unwrap_or(u32::MAX).to_be_bytes());
        frame.extend_from_slice(&[0u8; 4]);
        frame.extend_from_slice(body);
        let written = self.stream.write_all(&frame);
        self.tx = frame;
        match written {
            Ok(()) => Ok(()),
            Err(e) => match Hangup::of(&e) {
                Some(how) => Err(self.hung_up(how)),
                None => {
                    self.check_alive()?;
                    Err(e.into())
                }
            },
        }
    }

    /// VPP's end of the socket is gone (end of file, reset, broken pipe):
    /// what a dying VPP does first. The connection is marked as closed by
    /// VPP, so the runner waits for the process to finish dying and blames
    /// the step that was running; VPP's death is the error if it shows at
    /// once.
    fn hung_up(&mut self, how: Hangup) -> ApiError {
        let closed = ApiError::Closed(how);
        self.broken = Some(closed.to_string());
        self.hangup = Some(how);
        if let Err(died) = self.check_alive() {
            return died;
        }
        // VPP may be dying right now: give the exit a moment to show.
        std::thread::sleep(Duration::from_millis(50));
        match self.check_alive() {
            Err(died) => died,
            Ok(()) => closed,
        }
    }

    /// Reads one frame, waking every [`POLL`] to check that VPP lives.
    pub(super) fn recv_frame(
        &mut self,
        deadline: Option<Instant>,
        msg: &str,
    ) -> Result<Frame, ApiError> {
        loop {
            if self.rx.len() >= 16 {
                let len =
                    u32::from_be_bytes([self.rx[8], self.rx[9], self.rx[10], self.rx[11]]) as usize;
                if !(2..=MAX_BODY).contains(&len) {
                    let e = ApiError::Malformed {
                        msg: msg.to_string(),
                        problem: format!("frame announces a body of {len} bytes"),
                    };
                    self.broken = Some(e.to_string());
                    return Err(e);
                }
                if self.rx.len() >= 16 + len {
                    let body: Vec<u8> = self.rx[16..16 + len].to_vec();
                    self.rx.drain(..16 + len);
                    let id = u16::from_be_bytes([body[0], body[1]]);
                    return Ok(Frame { id, body });
                }
            }
            let wait = match deadline {
                None => POLL,
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        self.check_alive()?;
                        return Err(ApiError::Timeout {
                            msg: msg.to_string(),
                            secs: self.timeout.map_or(0.0, |t| t.as_secs_f64()),
                        });
                    }
                    (d - now).min(POLL)
                }
            };
            let wait = wait.max(Duration::from_millis(1));
            // setsockopt only when the wait changes (a syscall saved per read).
            if self.read_timeout != Some(wait) {
                self.stream.set_read_timeout(Some(wait))?;
                self.read_timeout = Some(wait);
            }
            let chunk = &mut self.chunk[..];
            match self.stream.read(chunk) {
                Ok(0) => return Err(self.hung_up(Hangup::EndOfFile)),
                Ok(n) => self.rx.extend_from_slice(&self.chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                    ) =>
                {
                    self.check_alive()?;
                }
                Err(e) => match Hangup::of(&e) {
                    Some(how) => return Err(self.hung_up(how)),
                    None => {
                        self.check_alive()?;
                        return Err(e.into());
                    }
                },
            }
        }
    }

    /// Sends a request body and collects what answers it: the frames of
    /// `details` (if any) and the terminating frame.
    pub(super) fn exchange(
        &mut self,
        body: Vec<u8>,
        context: u32,
        collect: Collect,
        name: &str,
    ) -> Result<(Vec<Frame>, Frame), ApiError> {
        self.check_alive()?;
        self.usable()?;
        self.send(&body)?;
        if let Collect::Dump { .. } = collect {
            // A classic dump has no end marker: a control_ping with the same
            // context is answered after the last details message.
            let ping = self.msg_id::<ControlPing>()?;
            let mut w = Writer::new();
            w.u16(ping).u32(self.client_index).u32(context);
            self.send(&w.into_bytes())?;
        }
        let (details_id, end_id) = match collect {
            Collect::Single { reply } => (None, reply),
            Collect::Dump {
                details,
                ping_reply,
            } => (Some(details), ping_reply),
            Collect::Stream { details, reply } => (Some(details), reply),
        };
        let deadline = self.timeout.map(|t| Instant::now() + t);
        let mut details = Vec::new();
        loop {
            let frame = match self.recv_frame(deadline, name) {
                Ok(f) => f,
                Err(e) => {
                    if let ApiError::Timeout { .. } = e {
                        // VPP may be slow (a late reply is dropped by its
                        // context) or hung: `recover` tells which.
                        self.timed_out = Some(e.to_string());
                    }
                    return Err(e);
                }
            };
            let ours =
                (frame.id == end_id || Some(frame.id) == details_id) && frame.body.len() >= 6;
            if ours {
                let ctx = u32::from_be_bytes([
                    frame.body[2],
                    frame.body[3],
                    frame.body[4],
                    frame.body[5],
                ]);
                if ctx == context {
                    if frame.id == end_id {
                        return Ok((details, frame));
                    }
                    details.push(frame);
                    continue;
                }
                tracing::debug!(
                    "api: dropping a stale reply (context {ctx}) while waiting for {name}"
                );
                continue;
            }
            if let (Collect::Single { .. }, Some(other)) =
                (&collect, self.misnamed_reply(&frame, context))
            {
                // VPP's handler named another reply (acl_stats_intf_counters_enable
                // answers with acl_del_reply's id); VPP's Python client
                // matches replies by context alone and takes it.
                tracing::warn!(
                    "api: VPP answered {name} with {other} (same context): taken as its reply"
                );
                return Ok((details, frame));
            }
            if !self.ids.contains_key(&frame.id) {
                tracing::warn!(
                    "api: message id {} is not in VPP's message table; kept aside while waiting for {name}",
                    frame.id
                );
            }
            if self.pending.len() == MAX_PENDING {
                self.pending.pop_front();
            }
            self.pending.push_back(frame);
        }
    }

    /// The name of `frame` if it is a reply (`*_reply`) that carries
    /// `context`.
    fn misnamed_reply(&self, frame: &Frame, context: u32) -> Option<&str> {
        let name = self.ids.get(&frame.id)?;
        let ctx = frame.body.get(2..6)?;
        (name.ends_with("_reply") && u32::from_be_bytes(ctx.try_into().ok()?) == context)
            .then_some(name.as_str())
    }

    pub(super) fn wait_for_frame(
        &mut self,
        timeout: Duration,
        id: u16,
        name: &str,
    ) -> Result<Frame, ApiError> {
        if let Some(pos) = self.pending.iter().position(|f| f.id == id) {
            return Ok(self.pending.remove(pos).expect("position is in range"));
        }
        self.usable()?;
        let deadline = Instant::now() + timeout;
        loop {
            self.check_alive()?;
            match self.recv_frame(Some(deadline), name) {
                Ok(f) if f.id == id => return Ok(f),
                Ok(f) => {
                    if self.pending.len() == MAX_PENDING {
                        self.pending.pop_front();
                    }
                    self.pending.push_back(f);
                }
                Err(ApiError::Timeout { .. }) => {
                    return Err(ApiError::NoEvent {
                        name: name.to_string(),
                        secs: timeout.as_secs_f64(),
                    })
                }
                Err(e) => return Err(e),
            }
        }
    }
}
