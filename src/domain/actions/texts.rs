//! What the acting flow says to the admin, as plain text built from its
//! state: the confirmation's lines, the progress line and the result
//! panel's counts. The shell only renders these (as text, never markup).

use crate::domain::i18n::{fill, Lang};
use crate::domain::methods::lookups::Templates;
use crate::domain::time::format::absolute_text;

use super::flow::{ActionKind, Confirming};
use super::job::{Job, Phase, Tally};
use super::run::Action;

/// The confirmation, worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmText {
    /// "Stop workflows" / "Delete workflows".
    pub title: String,
    /// "3 workflows will be stopped."
    pub count: String,
    /// The top templates: name and count.
    pub top: Vec<(String, String)>,
    /// "and 4 more templates (27 workflows)".
    pub more: Option<String>,
    /// "Started between … and …".
    pub started: Option<String>,
    /// What changed since the selection, each a sentence.
    pub notes: Vec<String>,
    /// The plain warning of a delete.
    pub warning: Option<String>,
    /// "Type 3 to confirm" (a delete of more than one).
    pub typed_label: Option<String>,
    /// "Stop 3 workflows" / "Delete 3 workflows".
    pub button: String,
}

impl ConfirmText {
    /// The words for `c`; template names from `templates` when loaded;
    /// dates in the admin's `offset_minutes`.
    pub fn of(
        c: &Confirming,
        templates: Option<&Templates>,
        lang: Lang,
        offset_minutes: i32,
    ) -> ConfirmText {
        let t = lang.texts();
        let n = c.count() as u64;
        let workflows = |k: u64| lang.plural(k, &t.workflows);
        let (title, count, button) = match c.kind {
            ActionKind::Stop => (
                t.confirm_stop_title,
                t.confirm_stop_count,
                t.confirm_stop_button,
            ),
            ActionKind::Delete => (
                t.confirm_delete_title,
                t.confirm_delete_count,
                t.confirm_delete_button,
            ),
        };
        let b = &c.breakdown;
        let top = b
            .top
            .iter()
            .map(|(id, k)| {
                let name = match (id, templates) {
                    (Some(id), Some(list)) => list.label(*id, t),
                    (Some(id), None) => fill(t.template_fallback, &[("id", &id.0.to_string())]),
                    (None, _) => t.confirm_no_template.to_owned(),
                };
                (name, lang.number(*k as u64))
            })
            .collect();
        let more = (b.more_templates > 0).then(|| {
            fill(
                t.confirm_more_templates,
                &[
                    ("n", &lang.number(b.more_templates as u64)),
                    ("workflows", &workflows(b.more_workflows as u64)),
                ],
            )
        });
        let started = match (b.oldest, b.newest) {
            (Some(o), Some(w)) if o.unix_s == w.unix_s => Some(fill(
                t.confirm_started_at,
                &[("at", &absolute_text(o.unix_s, offset_minutes, lang))],
            )),
            (Some(o), Some(w)) => Some(fill(
                t.confirm_started_between,
                &[
                    ("oldest", &absolute_text(o.unix_s, offset_minutes, lang)),
                    ("newest", &absolute_text(w.unix_s, offset_minutes, lang)),
                ],
            )),
            _ => None,
        };
        let mut notes = Vec::new();
        let mut note = |template: &str, k: u64| {
            if k > 0 {
                notes.push(fill(template, &[("workflows", &workflows(k))]));
            }
        };
        note(t.confirm_finished, c.finished.len() as u64);
        note(t.confirm_no_longer_matching, c.no_longer_matching as u64);
        note(t.confirm_left_filters, c.left_filters as u64);
        note(t.confirm_added, c.added);
        note(t.confirm_fewer, c.fewer);
        if c.rows.is_empty() {
            notes.push(t.confirm_nothing.to_owned());
        }

        ConfirmText {
            title: title.to_owned(),
            count: fill(count, &[("workflows", &workflows(n))]),
            top,
            more,
            started,
            notes,
            warning: (c.kind == ActionKind::Delete).then(|| t.confirm_delete_warning.to_owned()),
            typed_label: c
                .needs_typed_count()
                .then(|| fill(t.confirm_type_count, &[("n", &n.to_string())])),
            button: fill(button, &[("workflows", &workflows(n))]),
        }
    }
}

/// Why the confirmation did not start: another tab's run, for `seconds`
/// more at most.
pub fn other_tab_text(seconds: u64, lang: Lang) -> String {
    fill(
        lang.texts().confirm_other_tab,
        &[("seconds", &lang.number(seconds))],
    )
}

/// The progress line: "Stopping 1,250 of 2,345…", "Paused: …".
pub fn progress_text(job: &Job, lang: Lang) -> String {
    let t = lang.texts();
    let (done, total) = job.progress();
    let template = match (job.phase(), job.action()) {
        (Phase::Paused, _) => t.progress_paused,
        (Phase::Cancelled, _) => t.progress_cancelling,
        (_, Action::Stop { .. }) => t.progress_stopping,
        (_, Action::Delete) => t.progress_deleting,
    };
    fill(
        template,
        &[
            ("done", &lang.number(done as u64)),
            ("total", &lang.number(total as u64)),
        ],
    )
}

/// The result panel's counts, each "<outcome>: <n>", the zero ones left
/// out (the done count always shown).
pub fn tally_lines(job: &Job, lang: Lang) -> Vec<String> {
    counts_lines(job.tally(), job.action(), lang)
}

/// The counts of `tally` for `action`, as [`tally_lines`] words them (the
/// history's runs too).
pub fn counts_lines(tally: Tally, action: &Action, lang: Lang) -> Vec<String> {
    let t = lang.texts();
    let Tally {
        done,
        already_finished,
        failed,
        not_attempted,
    } = tally;
    let done_word = match action {
        Action::Stop { .. } => t.outcome_stopped,
        Action::Delete => t.outcome_deleted,
    };
    let mut lines = vec![format!("{done_word}: {}", lang.number(done as u64))];
    for (word, k) in [
        (t.outcome_already_finished, already_finished),
        (t.outcome_failed, failed),
        (t.outcome_not_attempted, not_attempted),
    ] {
        if k > 0 {
            lines.push(format!("{word}: {}", lang.number(k as u64)));
        }
    }
    lines
}

/// The result panel's title.
pub fn result_title(job: &Job, lang: Lang) -> &'static str {
    let t = lang.texts();
    match job.action() {
        Action::Stop { .. } => t.result_stop_title,
        Action::Delete => t.result_delete_title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::actions::confirm::breakdown;
    use crate::domain::methods::instances::{TemplateId, WorkflowId, WorkflowRow};
    use crate::domain::methods::lookups::TemplateInfo;
    use crate::domain::time::instant::Timestamp;

    fn row(i: u64, template: u64, started: i64) -> WorkflowRow {
        WorkflowRow {
            id: WorkflowId::new(format!("w{i}")),
            modified: None,
            owned_until: None,
            module_id: None,
            entity: None,
            document_id: None,
            started: Some(Timestamp {
                unix_s: started,
                offset_minutes: 0,
            }),
            started_by: None,
            template_id: Some(TemplateId(template)),
            unparsed: Vec::new(),
        }
    }

    fn confirming(kind: ActionKind, rows: Vec<WorkflowRow>) -> Confirming {
        Confirming {
            kind,
            breakdown: breakdown(&rows),
            rows,
            finished: vec![WorkflowId::new("gone")],
            no_longer_matching: 0,
            left_filters: 0,
            selected: 0,
            added: 2,
            fewer: 0,
            status: String::new(),
            typed: String::new(),
            blocked: None,
            history: None,
        }
    }

    #[test]
    fn the_confirmation_names_count_templates_dates_and_changes() {
        // Seven templates: 1 has three workflows, the others one each.
        let mut rows: Vec<WorkflowRow> = (0..3).map(|i| row(i, 1, 1_767_225_600)).collect();
        rows.extend((3..9).map(|i| row(i, i, 1_767_225_600 + i as i64 * 3_600)));
        let templates = Templates::sorted_with(
            vec![TemplateInfo {
                id: TemplateId(1),
                name: "<b>Approval</b>".into(),
                document_type: None,
            }],
            str::to_lowercase,
        );
        let c = confirming(ActionKind::Delete, rows);
        let text = ConfirmText::of(&c, Some(&templates), Lang::En, 0);
        assert_eq!(text.title, "Delete workflows");
        assert_eq!(text.count, "9 workflows will be deleted.");
        assert_eq!(text.top.len(), 5);
        assert_eq!(text.top[0], ("<b>Approval</b>".to_owned(), "3".to_owned()));
        assert_eq!(
            text.more.as_deref(),
            Some("and 2 more templates (2 workflows)")
        );
        assert_eq!(
            text.started.as_deref(),
            Some("Started between Jan 1, 2026, 00:00 and Jan 1, 2026, 08:00")
        );
        assert!(
            text.notes[0].starts_with("1 workflow finished"),
            "{:?}",
            text.notes
        );
        assert!(
            text.notes[1].starts_with("2 workflows more"),
            "{:?}",
            text.notes
        );
        assert!(text
            .warning
            .as_deref()
            .is_some_and(|w| w.contains("cannot be undone")));
        assert_eq!(text.typed_label.as_deref(), Some("Type 9 to confirm"));
        assert_eq!(text.button, "Delete 9 workflows");
    }

    #[test]
    fn another_tabs_run_is_explained_with_its_time_left() {
        assert_eq!(
            other_tab_text(90, Lang::En),
            "Another tab of this browser is running an action on workflows. Wait for it to \
             finish (or up to 90 s after it stops sending), then confirm again."
        );
    }

    #[test]
    fn a_stop_of_one_needs_no_typed_count_and_reads_in_russian() {
        let c = confirming(ActionKind::Stop, vec![row(1, 1, 0)]);
        let text = ConfirmText::of(&c, None, Lang::En, 0);
        assert_eq!(text.button, "Stop 1 workflow");
        assert_eq!(text.typed_label, None);
        assert_eq!(text.warning, None);
        let ru = ConfirmText::of(&c, None, Lang::Ru, 0);
        assert_eq!(ru.title, "Остановить процессы");
        assert_eq!(ru.button, "Остановить 1 процесс");
    }
}
