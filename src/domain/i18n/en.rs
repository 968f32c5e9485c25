//! The English catalogue.

use super::{Plural, Texts};

/// English.
pub static EN: Texts = Texts {
    // ---------------------------------------------------------- app shell
    app_title: "Workflow Monitor",
    running_workflows: "Running workflows",
    // -------------------------------------------------------------- table
    // -------------------------------------------------------------- names
    // ---------------------------------------------------------- documents
    // --------------------------------------------------------------- time
    col_age: "Age",
    col_idle: "Idle",
    months_short: "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    rel_past: "{span} ago",
    rel_future: "in {span}",
    rel_now: "just now",
    time_unreadable: "Not a date the app can read: shown as the portal sent it.",
    // ------------------------------------------------------------ signals
    badge_stuck: "Stuck",
    badge_idle: "Idle",
    stuck_explained:
        "Stuck: the lock expired {ago} (more than 5 minutes). The workflow is probably hung.",
    idle_explained: "Idle: no change for {span} (more than 7 days).",
    counts_label: "Stuck and idle workflows under the current filters",
    counts_unavailable: "Stuck and idle counts are not available right now.",
    count_stuck_hint: "Show only stuck workflows",
    count_idle_hint: "Show only workflows idle for more than 7 days",
    // --------------------------------------------------------------- look
    // ------------------------------------------------------------ plurals
    workflows: Plural {
        one: "{n} workflow",
        few: "{n} workflows",
        many: "{n} workflows",
    },
    // -------------------------------------------------- plurals: table
    // -------------------------------------------------- plurals: names
    // ---------------------------------------------- plurals: documents
    // --------------------------------------------------- plurals: time
    span_seconds: Plural {
        one: "{n} s",
        few: "{n} s",
        many: "{n} s",
    },
    span_minutes: Plural {
        one: "{n} min",
        few: "{n} min",
        many: "{n} min",
    },
    span_hours: Plural {
        one: "{n} h",
        few: "{n} h",
        many: "{n} h",
    },
    span_days: Plural {
        one: "{n} d",
        few: "{n} d",
        many: "{n} d",
    },
    span_years: Plural {
        one: "{n} y",
        few: "{n} y",
        many: "{n} y",
    },
    // ------------------------------------------------ plurals: signals
    count_stuck: Plural {
        one: "{n} stuck",
        few: "{n} stuck",
        many: "{n} stuck",
    },
    count_idle: Plural {
        one: "{n} idle > 7 days",
        few: "{n} idle > 7 days",
        many: "{n} idle > 7 days",
    },
    // --------------------------------------------------- plurals: look
};
