//! The "History" view: the portal's runs, newest first (when, who, what,
//! the counts), each opening its workflows with their outcomes, each
//! downloadable as CSV. Reads only: one request lists the 50 newest runs,
//! one reads a run's journal back.

use crate::domain::i18n::Lang;
use crate::domain::time::instant::Civil;
use crate::domain::wire::batch::{BatchRequest, BatchResponse, CommandKey};
use crate::domain::wire::errors::RestError;

use super::history::read::{rows_requests, runs_command, Page, RunRecord, Stored};
use super::history::record::RunHeader;
use super::run::Action;

/// The key of the runs' read.
const RUNS_KEY: &str = "runs";

/// What the view shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Shown {
    /// Closed.
    #[default]
    Closed,
    /// The runs (`None` while they load; the error's text when they could
    /// not be read).
    Runs(Option<Result<Vec<Stored<RunHeader>>, String>>),
    /// One run: its header, and its record once read.
    Run {
        /// The header.
        header: Box<Stored<RunHeader>>,
        /// The record (`None` while it loads).
        record: Option<Result<Box<RunRecord>, String>>,
    },
}

/// What the admin did in the view, or what a read brought.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryEvent {
    /// "History": the runs.
    Open,
    /// Closing the view.
    Close,
    /// A run of the list opened (by its header's item id).
    OpenRun(u64),
    /// Back from a run to the list.
    Back,
    /// "Download CSV" on an open run.
    Download,
    /// A read answered.
    Read {
        /// Which read.
        seq: u64,
        /// Its answer.
        result: Result<BatchResponse, RestError>,
    },
}

/// What the view needs the shell to do.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryEffect {
    /// Read (answer with [`HistoryEvent::Read`]).
    Read {
        /// Its number.
        seq: u64,
        /// The batch.
        request: BatchRequest,
    },
    /// Offer a file.
    Download {
        /// Its name.
        name: String,
        /// Its text.
        content: String,
    },
}

/// The view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryView {
    shown: Shown,
    /// The runs as last read (kept while a run is open, for Back).
    runs: Vec<Stored<RunHeader>>,
    seq: u64,
    asked: Option<u64>,
}

impl HistoryView {
    /// What is shown.
    pub fn shown(&self) -> &Shown {
        &self.shown
    }

    /// Applies `event`; `lang` names the CSV's columns.
    pub fn update(&mut self, event: HistoryEvent, lang: Lang) -> Vec<HistoryEffect> {
        let mut fx = Vec::new();
        match event {
            HistoryEvent::Open => {
                self.shown = Shown::Runs(None);
                let command = CommandKey::new(RUNS_KEY).map(|k| runs_command(k, 0, false));
                match command.and_then(|c| BatchRequest::new(false, vec![c])) {
                    Ok(request) => fx.push(self.read(request)),
                    Err(e) => self.shown = Shown::Runs(Some(Err(e.to_string()))),
                }
            }
            HistoryEvent::Close => {
                self.shown = Shown::Closed;
                self.asked = None;
            }
            HistoryEvent::Back => {
                if matches!(self.shown, Shown::Run { .. }) {
                    self.asked = None;
                    self.shown = Shown::Runs(Some(Ok(self.runs.clone())));
                }
            }
            HistoryEvent::OpenRun(item) => {
                let Some(header) = self.runs.iter().find(|r| r.item_id == item).cloned() else {
                    return fx;
                };
                let expected = (header.value.total / 100 + header.value.total / 49 + 4) as u64;
                let request = rows_requests(&header.value.key, expected)
                    .ok()
                    .and_then(|r| r.into_iter().next());
                self.shown = Shown::Run {
                    header: Box::new(header),
                    record: None,
                };
                match request {
                    Some(request) => fx.push(self.read(request)),
                    None => self.failed("the run's journal could not be asked for".into()),
                }
            }
            HistoryEvent::Download => {
                if let Shown::Run {
                    record: Some(Ok(record)),
                    ..
                } = &self.shown
                {
                    fx.push(HistoryEffect::Download {
                        name: file_name(&record.header.value),
                        content: record.to_csv(lang),
                    });
                }
            }
            HistoryEvent::Read { seq, result } => {
                if self.asked != Some(seq) {
                    return fx;
                }
                self.asked = None;
                match result {
                    Ok(answer) => self.answered(&answer, lang),
                    Err(e) => {
                        let (title, detail) = e.headline(lang);
                        self.failed(format!("{title} {detail}"));
                    }
                }
            }
        }
        fx
    }

    fn read(&mut self, request: BatchRequest) -> HistoryEffect {
        self.seq += 1;
        self.asked = Some(self.seq);
        HistoryEffect::Read {
            seq: self.seq,
            request,
        }
    }

    fn answered(&mut self, answer: &BatchResponse, lang: Lang) {
        let mut page = Page::default();
        for (_, outcome) in &answer.outcomes {
            match outcome {
                Ok(raw) => page.merge(Page::read(raw)),
                Err(e) => {
                    let (title, detail) = e.headline(lang);
                    self.failed(format!("{title} {detail}"));
                    return;
                }
            }
        }
        match &self.shown {
            Shown::Runs(_) => {
                let runs = page.runs;
                self.runs = runs.clone();
                self.shown = Shown::Runs(Some(Ok(runs)));
            }
            Shown::Run { header, .. } => {
                let record = RunRecord::assemble((**header).clone(), &page.chunks);
                self.shown = Shown::Run {
                    header: header.clone(),
                    record: Some(Ok(Box::new(record))),
                };
            }
            Shown::Closed => {}
        }
    }

    fn failed(&mut self, message: String) {
        match &mut self.shown {
            Shown::Runs(runs) => *runs = Some(Err(message)),
            Shown::Run { record, .. } => *record = Some(Err(message)),
            Shown::Closed => {}
        }
    }
}

/// The CSV's name: `workflows-history-stopped-<YYYY-MM-DD-HHmm>.csv`, the
/// run's start in UTC.
fn file_name(header: &RunHeader) -> String {
    let verb = match header.action {
        Action::Stop { .. } => "stopped",
        Action::Delete => "deleted",
    };
    let c = Civil::at(header.started_at_ms.div_euclid(1000), 0);
    format!(
        "workflows-history-{verb}-{:04}-{:02}-{:02}-{:02}{:02}.csv",
        c.year, c.month, c.day, c.hour, c.minute
    )
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::domain::actions::history::journal::tests::{header, row};
    use crate::domain::actions::history::journal::Journal;
    use crate::domain::actions::history::read::tests::stored;
    use crate::domain::actions::history::record::{RunState, Snapshot};
    use crate::domain::actions::job::Tally;
    use crate::domain::actions::run::Outcome;
    use crate::domain::wire::batch::parse_batch;

    fn batch(key: &str, items: Vec<Value>) -> BatchResponse {
        parse_batch(&json!({"result": {
            "result": {key: items}, "result_error": [], "result_total": {key: 1}
        }}))
        .expect("batch")
    }

    fn read_of(fx: &[HistoryEffect]) -> (u64, BatchRequest) {
        match fx {
            [HistoryEffect::Read { seq, request }] => (*seq, request.clone()),
            other => panic!("one read: {other:?}"),
        }
    }

    #[test]
    fn the_runs_list_newest_first_and_a_run_opens_with_its_outcomes_and_csv() {
        let snaps: Vec<Snapshot> = (0..3)
            .map(|i| Snapshot::of(&row(i, 2), "Deal approval", "Anna", "Deal 99"))
            .collect();
        let mut j = Journal::new(header(3));
        let mut requests = j.start(&snaps).expect("encodable");
        let outcomes = vec![
            (snaps[0].row.id.clone(), Outcome::Done),
            (
                snaps[1].row.id.clone(),
                Outcome::Failed("=HYPERLINK(\"x\")".into()),
            ),
        ];
        requests.extend(
            j.finish(500, &outcomes, RunState::Finished, Tally::default(), 1)
                .expect("ok"),
        );
        let items = stored(&requests, 10, 1_726_229_200);
        let mut view = HistoryView::default();
        let (seq, request) = read_of(&view.update(HistoryEvent::Open, Lang::En));
        assert!(request.to_params().to_string().contains("entity.item.get"));
        assert_eq!(view.shown(), &Shown::Runs(None), "loading");
        let headers: Vec<Value> = items
            .iter()
            .filter(|i| i["PROPERTY_VALUES"]["KIND"] == json!("run"))
            .cloned()
            .collect();
        let mut newer = headers[0].clone();
        newer["ID"] = json!("30");
        newer["PROPERTY_VALUES"]["RUN"] = json!("1726229300000.7");
        let answer = batch("runs", vec![headers[0].clone(), newer]);
        view.update(
            HistoryEvent::Read {
                seq,
                result: Ok(answer),
            },
            Lang::En,
        );
        let Shown::Runs(Some(Ok(runs))) = view.shown() else {
            panic!("the runs: {:?}", view.shown());
        };
        let ids: Vec<u64> = runs.iter().map(|r| r.item_id).collect();
        assert_eq!(ids, [30, 10], "newest first");
        // A stale answer is ignored.
        view.update(
            HistoryEvent::Read {
                seq: seq + 7,
                result: Err(RestError::Cancelled),
            },
            Lang::En,
        );
        let (seq, _) = read_of(&view.update(HistoryEvent::OpenRun(10), Lang::En));
        let chunks: Vec<Value> = items
            .into_iter()
            .filter(|i| i["PROPERTY_VALUES"]["KIND"] == json!("rows"))
            .collect();
        view.update(
            HistoryEvent::Read {
                seq,
                result: Ok(batch("p0", chunks)),
            },
            Lang::En,
        );
        let Shown::Run {
            record: Some(Ok(record)),
            ..
        } = view.shown()
        else {
            panic!("the run: {:?}", view.shown());
        };
        assert_eq!(record.rows.len(), 3);
        assert_eq!(record.rows[0].outcome, Some(Outcome::Done));
        assert_eq!(record.rows[2].outcome, None, "nothing recorded: unknown");
        let fx = view.update(HistoryEvent::Download, Lang::En);
        let [HistoryEffect::Download { name, content }] = fx.as_slice() else {
            panic!("a file: {fx:?}");
        };
        assert!(
            name.starts_with("workflows-history-deleted-2024-09-13-"),
            "{name}"
        );
        assert!(
            content.contains("Deal approval") && content.contains("unknown"),
            "{content}"
        );
        assert!(
            content.contains("'=HYPERLINK"),
            "formula neutralised: {content}"
        );
        view.update(HistoryEvent::Back, Lang::En);
        assert!(matches!(view.shown(), Shown::Runs(Some(Ok(r))) if r.len() == 2));
    }

    #[test]
    fn a_storage_that_cannot_be_read_says_why() {
        let mut view = HistoryView::default();
        let (seq, _) = read_of(&view.update(HistoryEvent::Open, Lang::En));
        let refused = parse_batch(&json!({"result": {
            "result": [], "result_error": {"runs": {"error": "ERROR_ENTITY_NOT_FOUND", "error_description": "Entity not found"}}
        }}))
        .expect("batch");
        view.update(
            HistoryEvent::Read {
                seq,
                result: Ok(refused),
            },
            Lang::En,
        );
        assert!(
            matches!(view.shown(), Shown::Runs(Some(Err(m))) if !m.is_empty()),
            "{:?}",
            view.shown()
        );
        view.update(HistoryEvent::Close, Lang::En);
        assert_eq!(view.shown(), &Shown::Closed);
    }
}
