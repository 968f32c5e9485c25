//! What travels to and from the portal's REST API, whatever the method:
//! the answer envelope and the errors an admin can act on (`errors`), the
//! loose readers for values the portal writes as it likes, `batch` with
//! its command keys and references, and the PHP query encoding a batch
//! command and a URL fragment both use (`query`).

pub mod batch;
pub mod errors;
pub mod query;
