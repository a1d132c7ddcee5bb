//! Typed messages (generated from `.api.json`): requests, dumps, cursor
//! streams and events, each resolved by name and CRC at first use.

use super::*;

impl ApiClient {
    pub(super) fn header<M: Message>(&mut self) -> Result<(Writer, u32), ApiError> {
        let id = self.msg_id::<M>()?;
        let context = self.next_context();
        let mut w = Writer::new();
        w.u16(id).u32(self.client_index).u32(context);
        Ok((w, context))
    }

    pub(super) fn decode_reply<M: Message>(frame: &Frame) -> Result<M, ApiError> {
        let Some(payload) = frame.body.get(M::HEADER.size()..) else {
            return Err(ApiError::Malformed {
                msg: M::NAME.into(),
                problem: format!("{} bytes do not hold its header", frame.body.len()),
            });
        };
        let mut r = Reader::new(payload);
        M::decode(&mut r).map_err(|e| ApiError::Malformed {
            msg: M::NAME.into(),
            problem: e.0,
        })
    }

    /// Sends `req` and waits for its reply, without checking the retval.
    pub fn request_raw<R: Request>(&mut self, req: &R) -> Result<R::Reply, ApiError> {
        let reply = self.msg_id::<R::Reply>()?;
        let (mut w, context) = self.header::<R>()?;
        req.encode(&mut w);
        let (_, frame) =
            self.exchange(w.into_bytes(), context, Collect::Single { reply }, R::NAME)?;
        Self::decode_reply::<R::Reply>(&frame)
    }

    /// Sends `req` with its encoded fields (the bytes after the header)
    /// changed by `alter`, and waits for its reply without checking the
    /// retval: for tests of what VPP does with a malformed message, as a
    /// Python test sends a count its array does not have. VPP drops a
    /// message shorter than its fields say without a reply, which is
    /// [`ApiError::Timeout`] here; [`ApiClient::recover`] then checks that
    /// VPP still answers.
    pub fn request_altered<R: Request>(
        &mut self,
        req: &R,
        alter: impl FnOnce(&mut Vec<u8>),
    ) -> Result<R::Reply, ApiError> {
        let reply = self.msg_id::<R::Reply>()?;
        let (mut w, context) = self.header::<R>()?;
        req.encode(&mut w);
        let mut body = w.into_bytes();
        let mut fields = body.split_off(R::HEADER.size());
        alter(&mut fields);
        body.extend_from_slice(&fields);
        let (_, frame) = self.exchange(body, context, Collect::Single { reply }, R::NAME)?;
        Self::decode_reply::<R::Reply>(&frame)
    }

    /// Sends `req`, waits for its reply, and checks the retval against the
    /// current expectation (zero unless [`ApiClient::expect`] says otherwise).
    pub fn request<R: Request>(&mut self, req: &R) -> Result<R::Reply, ApiError> {
        let reply = self.request_raw(req)?;
        if let Some(retval) = reply.retval() {
            self.check_retval(R::NAME, retval)?;
        }
        Ok(reply)
    }

    /// Runs a classic dump: the details messages, ended by `control_ping`.
    pub fn dump<R: DumpRequest>(&mut self, req: &R) -> Result<Vec<R::Details>, ApiError> {
        let details = self.msg_id::<R::Details>()?;
        let ping_reply = self.msg_id::<ControlPingReply>()?;
        let (mut w, context) = self.header::<R>()?;
        req.encode(&mut w);
        let (frames, _) = self.exchange(
            w.into_bytes(),
            context,
            Collect::Dump {
                details,
                ping_reply,
            },
            R::NAME,
        )?;
        frames
            .iter()
            .map(Self::decode_reply::<R::Details>)
            .collect()
    }

    /// Runs a cursor stream (a `services` entry with `stream_msg`): the
    /// details messages, then the reply that ends them, its retval checked.
    pub fn stream<R: StreamRequest>(
        &mut self,
        req: &R,
    ) -> Result<(Vec<R::Details>, R::Reply), ApiError> {
        let details = self.msg_id::<R::Details>()?;
        let reply = self.msg_id::<R::Reply>()?;
        let (mut w, context) = self.header::<R>()?;
        req.encode(&mut w);
        let (frames, end) = self.exchange(
            w.into_bytes(),
            context,
            Collect::Stream { details, reply },
            R::NAME,
        )?;
        let end = Self::decode_reply::<R::Reply>(&end)?;
        if let Some(retval) = end.retval() {
            self.check_retval(R::NAME, retval)?;
        }
        let details = frames
            .iter()
            .map(Self::decode_reply::<R::Details>)
            .collect::<Result<_, _>>()?;
        Ok((details, end))
    }

    /// Waits up to `timeout` for an event of type `E` (events that arrived
    /// earlier, while waiting for replies, count); other events stay queued.
    pub fn wait_for_event_typed<E: Message>(&mut self, timeout: Duration) -> Result<E, ApiError> {
        let id = self.msg_id::<E>()?;
        let frame = self.wait_for_frame(timeout, id, E::NAME)?;
        Self::decode_reply::<E>(&frame)
    }

    /// Takes every queued event of type `E` (`collect_events` of VPP's
    /// framework, for one type): what VPP has sent so far is read first;
    /// events of other types stay queued.
    pub fn collect_events_typed<E: Message>(&mut self) -> Result<Vec<E>, ApiError> {
        let id = self.msg_id::<E>()?;
        self.usable()?;
        loop {
            let soon = std::time::Instant::now() + Duration::from_millis(1);
            match self.recv_frame(Some(soon), E::NAME) {
                Ok(f) => {
                    if self.pending.len() == MAX_PENDING {
                        self.pending.pop_front();
                    }
                    self.pending.push_back(f);
                }
                Err(ApiError::Timeout { .. }) => break,
                Err(e) => return Err(e),
            }
        }
        let (ours, rest): (Vec<Frame>, Vec<Frame>) =
            self.pending.drain(..).partition(|f| f.id == id);
        self.pending.extend(rest);
        ours.iter().map(Self::decode_reply::<E>).collect()
    }

    /// `control_ping`.
    pub fn control_ping(&mut self) -> Result<ControlPingReply, ApiError> {
        self.request(&ControlPing)
    }

    /// `show_version`.
    pub fn show_version(&mut self) -> Result<ShowVersionReply, ApiError> {
        self.request(&ShowVersion)
    }

    /// Ends the registration (`sockclnt_delete`); tolerates VPP closing the
    /// socket before its reply arrives.
    pub fn disconnect(mut self) -> Result<(), ApiError> {
        let index = self.client_index;
        let saved = self.timeout;
        self.timeout = Some(
            saved
                .unwrap_or(Duration::from_secs(1))
                .min(Duration::from_secs(1)),
        );
        match self.request_raw(&SockclntDelete { index }) {
            Ok(_) | Err(ApiError::Closed(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
