//! djust's own connection runtime (host B of `DESIGN.md`), served by `djust serve`.
//!
//! One `SessionActor` per connected LiveView holding its VDOM and its Python object, under a
//! `Supervisor`, with the pub/sub broker, timers and background tasks. Until it lands, views
//! are served by host A: Django + Channels through `djust.websocket.LiveViewConsumer`.
