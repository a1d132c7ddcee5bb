//! Messages by name, as JSON, through the `.api.json` definitions of the
//! VPP under test (VPP's framework's `vapi.<name>(**kwargs)`).

use super::*;

impl ApiClient {
    /// Uses `schema` for dynamic calls and event decoding.
    pub fn set_schema(&mut self, schema: Arc<Schema>) {
        self.schema = Some(schema);
    }

    /// Where the schema comes from on first use: `api_dirs` (the VPP
    /// install's `.api.json` files), or VPP itself (`get_api_json`) when
    /// that is empty; `extern_dirs` are added either way.
    pub fn set_schema_source(
        &mut self,
        api_dirs: Vec<std::path::PathBuf>,
        extern_dirs: Vec<std::path::PathBuf>,
    ) {
        self.api_dirs = api_dirs;
        self.extern_api_dirs = extern_dirs;
        self.schema = None;
    }

    /// The schema in use, loaded on first use (see [`ApiClient::set_schema_source`]).
    pub fn schema(&mut self) -> Result<Arc<Schema>, ApiError> {
        if let Some(s) = &self.schema {
            return Ok(s.clone());
        }
        let mut schema = Schema::new();
        if self.api_dirs.is_empty() {
            let reply = self.request(&GetApiJson)?;
            let modules: serde_json::Value =
                serde_json::from_str(&reply.json).map_err(|e| ApiError::Malformed {
                    msg: "get_api_json_reply".into(),
                    problem: e.to_string(),
                })?;
            for (i, m) in modules
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                schema.add_json(&m.to_string(), Path::new(&format!("get_api_json[{i}]")))?;
            }
        } else {
            schema.add_dirs(&self.api_dirs)?;
        }
        schema.add_dirs(&self.extern_api_dirs)?;
        tracing::debug!("api schema: {} messages", schema.message_count());
        let schema = Arc::new(schema);
        self.schema = Some(schema.clone());
        Ok(schema)
    }

    /// The id of a message known to the schema, checked against VPP's table.
    pub(super) fn dyn_id(&mut self, schema: &Schema, name: &str) -> Result<u16, ApiError> {
        let def = schema
            .message(name)
            .ok_or_else(|| ApiError::NoDefinition(name.to_string()))?;
        if let Some(id) = self.table.get(&format!("{name}_{}", def.crc)) {
            return Ok(*id);
        }
        match self.names.get(name) {
            Some(crc) => Err(ApiError::CrcMismatch {
                name: name.into(),
                vpp: crc.clone(),
                ours: def.crc.clone(),
            }),
            None => Err(ApiError::UnknownMessage(name.into())),
        }
    }

    pub(super) fn dyn_body(
        &mut self,
        schema: &Schema,
        name: &str,
        args: &serde_json::Value,
    ) -> Result<(Vec<u8>, u32), ApiError> {
        let id = self.dyn_id(schema, name)?;
        let context = self.next_context();
        let mut full = match args {
            serde_json::Value::Object(o) => o.clone(),
            serde_json::Value::Null => serde_json::Map::new(),
            other => {
                return Err(ApiError::Encode(crate::api::dynamic::EncodeError {
                    path: name.to_string(),
                    problem: format!("arguments must be an object, got {other}"),
                }))
            }
        };
        full.insert("_vl_msg_id".into(), id.into());
        full.insert("client_index".into(), self.client_index.into());
        full.insert("context".into(), context.into());
        Ok((
            schema.encode(name, &serde_json::Value::Object(full))?,
            context,
        ))
    }

    pub(super) fn dyn_decode(
        schema: &Schema,
        name: &str,
        frame: &Frame,
    ) -> Result<serde_json::Value, ApiError> {
        schema
            .decode(name, &frame.body)
            .map_err(|e| ApiError::Malformed {
                msg: name.to_string(),
                problem: e.0,
            })
    }

    pub(super) fn dyn_retval(&self, name: &str, reply: &serde_json::Value) -> Result<(), ApiError> {
        match reply.get("retval").and_then(serde_json::Value::as_i64) {
            Some(rv) => self.check_retval(name, rv as i32),
            None => Ok(()),
        }
    }

    /// Calls any request by name with JSON arguments (omitted fields take
    /// their defaults) and returns its reply as JSON, retval checked.
    pub fn call(
        &mut self,
        name: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        let schema = self.schema()?;
        let service = schema.service(name);
        if service.stream {
            return Err(ApiError::Malformed {
                msg: name.to_string(),
                problem: "it is a dump or stream: use call_dump".into(),
            });
        }
        let reply_name = service
            .reply
            .ok_or_else(|| ApiError::NoDefinition(format!("{name} (it has no reply)")))?;
        let reply = self.dyn_id(&schema, &reply_name)?;
        let (body, context) = self.dyn_body(&schema, name, &args)?;
        let (_, frame) = self.exchange(body, context, Collect::Single { reply }, name)?;
        let value = Self::dyn_decode(&schema, &reply_name, &frame)?;
        self.dyn_retval(name, &value)?;
        Ok(value)
    }

    /// Calls a classic dump (`*_dump` → `*_details`, ended by control_ping)
    /// or a cursor stream (`*_get`) by name; returns the details.
    pub fn call_dump(
        &mut self,
        name: &str,
        args: serde_json::Value,
    ) -> Result<Vec<serde_json::Value>, ApiError> {
        let schema = self.schema()?;
        let service = schema.service(name);
        let reply_name = service
            .reply
            .clone()
            .ok_or_else(|| ApiError::NoDefinition(format!("{name} (it has no reply)")))?;
        let (details_name, collect) = match &service.stream_msg {
            Some(details) => {
                let d = self.dyn_id(&schema, details)?;
                let r = self.dyn_id(&schema, &reply_name)?;
                (
                    details.clone(),
                    Collect::Stream {
                        details: d,
                        reply: r,
                    },
                )
            }
            None if service.stream => {
                let d = self.dyn_id(&schema, &reply_name)?;
                let ping_reply = self.msg_id::<ControlPingReply>()?;
                (
                    reply_name.clone(),
                    Collect::Dump {
                        details: d,
                        ping_reply,
                    },
                )
            }
            None => {
                return Err(ApiError::Malformed {
                    msg: name.to_string(),
                    problem: "it is not a dump or stream: use call".into(),
                })
            }
        };
        let (body, context) = self.dyn_body(&schema, name, &args)?;
        let (frames, end) = self.exchange(body, context, collect, name)?;
        if let Some(stream_msg) = &service.stream_msg {
            let _ = stream_msg;
            let reply = Self::dyn_decode(&schema, &reply_name, &end)?;
            self.dyn_retval(name, &reply)?;
        }
        frames
            .iter()
            .map(|f| Self::dyn_decode(&schema, &details_name, f))
            .collect()
    }

    /// Waits up to `timeout` for an event called `name` and returns it as JSON.
    pub fn wait_for_event(
        &mut self,
        timeout: Duration,
        name: &str,
    ) -> Result<serde_json::Value, ApiError> {
        let schema = self.schema()?;
        let id = self.dyn_id(&schema, name)?;
        let frame = self.wait_for_frame(timeout, id, name)?;
        Self::dyn_decode(&schema, name, &frame)
    }

    /// Takes every queued event (and stray message), decoded where the
    /// schema knows it, each with a `_name` field.
    pub fn collect_events(&mut self) -> Result<Vec<serde_json::Value>, ApiError> {
        let schema = self.schema()?;
        // What VPP has already sent is queued too, as a reader thread would
        // have queued it.
        self.usable()?;
        loop {
            match self.recv_frame(Some(Instant::now() + Duration::from_millis(1)), "events") {
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
        let frames: Vec<Frame> = self.pending.drain(..).collect();
        Ok(frames
            .iter()
            .map(|f| {
                let name = self
                    .ids
                    .get(&f.id)
                    .cloned()
                    .unwrap_or_else(|| format!("unknown_{}", f.id));
                let mut v = schema
                    .decode(&name, &f.body)
                    .unwrap_or_else(|_| serde_json::json!({"_vl_msg_id": f.id}));
                if let Some(o) = v.as_object_mut() {
                    o.insert("_name".into(), name.into());
                }
                v
            })
            .collect())
    }
}
