//! Post (mail): Dutch messages in text and HTML, stored in the outbox together with the event
//! that causes them, and delivered by a worker that retries until the server accepts them.

pub mod message;
pub mod transport;
pub mod worker;

pub use message::{Envelope, Mail, Rendered, queue};
