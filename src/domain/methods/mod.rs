//! The REST methods the app calls, each as the parameters it sends and the
//! answer it reads back: `bizproc.workflow.instances` (`instances`), the
//! templates and users that name ids (`lookups`), the session the frame
//! hands over (`session`), and the rate limits and retries every call
//! goes through (`limits`).

pub mod instances;
pub mod limits;
pub mod lookups;
pub mod session;
pub mod tasks;
