use serde_json::{json, Map, Value};

use super::flow::{ChartState, Overview};
use super::model::*;
use super::plan::*;
use crate::domain::display::documents::DocumentKind;
use crate::domain::methods::instances::{TemplateId, UserId, WorkflowPage, WorkflowRow};
use crate::domain::table::filters::{Filter, Filters, Preset};
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{parse_batch, BatchRequest, BatchResponse};
use crate::domain::wire::errors::RestError;
use crate::domain::wire::query::percent_decode;

const CTX: TimeContext = TimeContext {
    now: 1_733_500_000,
    offset_minutes: 180,
};

fn ids(n: u64) -> Vec<TemplateId> {
    (1..=n).map(TemplateId).collect()
}

/// Command `key`'s `method?query`, decoded.
fn command(batch: &BatchRequest, key: &str) -> String {
    let params = batch.to_params();
    let raw = params["cmd"][key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key}"));
    percent_decode(raw).expect("decodes")
}

fn keys(batch: &BatchRequest) -> Vec<String> {
    batch.keys().map(str::to_owned).collect()
}

/// A batch answer with these totals and these failed commands.
fn answer(totals: &[(String, u64)], failed: &[&str]) -> BatchResponse {
    let mut result = Map::new();
    let mut total = Map::new();
    for (k, n) in totals {
        result.insert(k.clone(), json!([]));
        total.insert(k.clone(), json!(n));
    }
    let mut errors = Map::new();
    for k in failed {
        errors.insert(
            (*k).to_owned(),
            json!({"error": "OPERATION_TIME_LIMIT", "error_description": "slow"}),
        );
    }
    parse_batch(&json!({"result": {"result": result, "result_error": errors,
        "result_total": total, "result_next": [], "result_time": []}}))
    .expect("batch answer")
}

fn rows_answer(started_by: &[u64], total: u64) -> BatchResponse {
    let rows: Vec<Value> = started_by
        .iter()
        .enumerate()
        .map(|(i, u)| json!({"ID": format!("{:08x}.{i:08}", i), "STARTED_BY": u.to_string()}))
        .collect();
    parse_batch(
        &json!({"result": {"result": {"c0": rows}, "result_error": [],
        "result_total": {"c0": total}, "result_next": [], "result_time": []}}),
    )
    .expect("rows answer")
}

#[test]
fn the_first_round_counts_each_template_in_requests_of_50_and_reads_a_sample() {
    let (requests, _) = first_round(&Filters::new(), &ids(120), CTX).expect("plan");
    let parts: Vec<Part> = requests.iter().map(|r| r.part).collect();
    assert_eq!(
        parts,
        [
            Part::Templates(0),
            Part::Templates(1),
            Part::Templates(2),
            Part::Sample
        ]
    );
    assert_eq!(keys(&requests[0].batch).len(), 50);
    assert_eq!(keys(&requests[2].batch).len(), 20);
    let t7 = command(&requests[0].batch, "t7");
    assert!(t7.starts_with("bizproc.workflow.instances?"), "{t7}");
    assert!(t7.contains("TEMPLATE_ID]=7"), "{t7}");
    assert!(
        t7.contains("select[0]=ID") && !t7.contains("select[1]"),
        "{t7}"
    );
    // The sample reads 50 pages of ID and STARTED_BY.
    let sample = &requests[3].batch;
    assert_eq!(keys(sample).len(), 50);
    assert!(command(sample, "c0").contains("STARTED_BY"));
}

#[test]
fn a_bar_counts_what_its_click_shows_the_other_filters_stay() {
    let mut filters = Filters::new();
    filters.set(Filter::Template {
        id: TemplateId(3),
        exclude: false,
    });
    filters.set(Filter::StartedBy(UserId(9)));
    let (requests, _) = first_round(&filters, &ids(4), CTX).expect("plan");
    let t1 = command(&requests[0].batch, "t1");
    // The template filter gives way to the bar's; the starter stays.
    assert!(
        t1.contains("TEMPLATE_ID]=1") && !t1.contains("TEMPLATE_ID]=3"),
        "{t1}"
    );
    assert!(t1.contains("STARTED_BY]=9"), "{t1}");
    // The starters' sample drops the starter filter and keeps the template.
    let c0 = command(&requests[1].batch, "c0");
    assert!(
        !c0.contains("STARTED_BY]=9") && c0.contains("TEMPLATE_ID]=3"),
        "{c0}"
    );
}

#[test]
fn the_second_round_asks_48_counts_for_ten_top_templates() {
    let rest = second_round(&Filters::new(), &ids(12), CTX).expect("plan");
    let k = keys(&rest.batch);
    assert_eq!(k.len(), 2 + 6 + 10 + 30);
    for key in ["ta", "ka", "a0", "a5", "k0", "k9", "s1", "i1", "b1", "b10"] {
        assert!(k.iter().any(|x| x == key), "{key} in {k:?}");
    }
    assert!(!k.iter().any(|x| x == "s11"), "only ten are split");
    // Under a day: from now − 1 day, no upper bound; over a year: only one.
    let a0 = command(&rest.batch, "a0");
    let day_ago = format!("{:08x}", CTX.now - 86_400);
    assert!(a0.contains(&format!(">=ID]={day_ago}")), "{a0}");
    assert!(!a0.contains("<ID]"), "{a0}");
    let a5 = command(&rest.batch, "a5");
    assert!(
        a5.contains(&format!("<ID]={:08x}", CTX.now - 365 * 86_400)),
        "{a5}"
    );
    assert!(!a5.contains(">=ID]"), "{a5}");
    // "Both" is stuck and idle at once.
    let b1 = command(&rest.batch, "b1");
    assert!(
        b1.contains("OWNED_UNTIL") && b1.contains("MODIFIED"),
        "{b1}"
    );
    assert!(command(&rest.batch, "k0").contains("CCrmDocumentDeal"));
    let ta = command(&rest.batch, "ta");
    assert!(!ta.contains("TEMPLATE_ID"), "{ta}");
}

#[test]
fn parts_add_up_and_never_overlap() {
    assert_eq!(
        Parts::of(10, 3, 5, 2),
        Parts {
            stuck: 3,
            idle: 3,
            rest: 4
        }
    );
    // Counts from a set that moved between commands stay within the bar.
    let p = Parts::of(4, 6, 9, 0);
    assert_eq!(p.stuck + p.idle + p.rest, 4);
    assert_eq!(
        p,
        Parts {
            stuck: 4,
            idle: 0,
            rest: 0
        }
    );
}

fn counts(list: &[(u64, u64)]) -> Vec<(TemplateId, Option<u64>)> {
    list.iter()
        .map(|&(id, n)| (TemplateId(id), Some(n)))
        .collect()
}

#[test]
fn the_template_chart_names_the_top_ten_then_other_then_automation() {
    let list: Vec<(u64, u64)> = (1..=12).map(|i| (i, i * 10)).chain([(13, 0)]).collect();
    let listed: u64 = list.iter().map(|(_, n)| n).sum();
    let c = counts(&list);
    let splits: Vec<_> = top_templates(&c)
        .into_iter()
        .map(|id| (id, [Some(1), Some(2), Some(1)]))
        .collect();
    let chart = template_chart(&c, Some(listed + 7), &splits, &Filters::new());
    let keys: Vec<BarKey> = chart.bars.iter().map(|b| b.key).collect();
    assert_eq!(keys[0], BarKey::Template(TemplateId(12)));
    assert_eq!(keys[9], BarKey::Template(TemplateId(3)));
    assert_eq!(keys[10], BarKey::OtherTemplates);
    assert_eq!(chart.bars[10].count, 10 + 20);
    assert_eq!(keys[11], BarKey::Automation);
    assert_eq!(chart.bars[11].count, 7);
    assert_eq!(keys.len(), 12, "no bar for a template with none running");
    assert_eq!(chart.coverage, Coverage::Exact);
    assert_eq!(
        chart.bars[0].parts,
        Some(Parts {
            stuck: 1,
            idle: 1,
            rest: 118
        })
    );
    assert_eq!(chart.bars[10].parts, None);
    assert_eq!(chart.max(), 120);
}

#[test]
fn a_template_chart_with_a_count_missing_says_it_is_incomplete() {
    let mut c = counts(&[(1, 5), (2, 3)]);
    c.push((TemplateId(3), None));
    let splits = vec![
        (TemplateId(1), [Some(0), Some(0), Some(0)]),
        (TemplateId(2), [Some(0), Some(0), Some(0)]),
    ];
    let chart = template_chart(&c, Some(20), &splits, &Filters::new());
    assert_eq!(chart.coverage, Coverage::Incomplete);
    assert!(
        !chart.bars.iter().any(|b| b.key == BarKey::Automation),
        "the remainder is not known"
    );
    // A total below the listed sum (the set moved): no remainder either.
    let chart = template_chart(&counts(&[(1, 5)]), Some(4), &splits, &Filters::new());
    assert_eq!(chart.coverage, Coverage::Incomplete);
    assert_eq!(chart.bars.len(), 1);
}

#[test]
fn empty_and_single_value_charts() {
    let none = template_chart(&counts(&[(1, 0)]), Some(0), &[], &Filters::new());
    assert!(none.is_empty());
    assert_eq!(none.coverage, Coverage::Exact);
    assert_eq!(none.max(), 1, "the scale never divides by zero");
    let ages = age_chart(&[Some(0); 6], &Filters::new());
    assert!(ages.is_empty());
    let one = kind_chart(
        &[
            Some(4),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
        ],
        Some(4),
        &Filters::new(),
    );
    assert_eq!(one.bars.len(), 1);
    assert_eq!(one.bars[0].key, BarKey::Kind(DocumentKind::Deal));
    assert_eq!(one.coverage, Coverage::Exact);
}

#[test]
fn the_age_chart_keeps_its_order_and_empty_bands() {
    let chart = age_chart(
        &[Some(1), Some(0), Some(5), Some(2), Some(0), Some(9)],
        &Filters::new(),
    );
    let counts: Vec<u64> = chart.bars.iter().map(|b| b.count).collect();
    assert_eq!(counts, [1, 0, 5, 2, 0, 9]);
    let missing = age_chart(
        &[Some(1), None, Some(5), Some(2), Some(0), Some(9)],
        &Filters::new(),
    );
    assert_eq!(missing.coverage, Coverage::Incomplete);
    assert_eq!(missing.bars.len(), 5);
}

#[test]
fn the_kind_chart_ranks_kinds_and_counts_the_rest_as_other() {
    let mut kinds = vec![Some(0); 10];
    kinds[1] = Some(30); // lead
    kinds[0] = Some(50); // deal
    kinds[6] = Some(30); // smart process
    let chart = kind_chart(&kinds, Some(115), &Filters::new());
    let keys: Vec<BarKey> = chart.bars.iter().map(|b| b.key).collect();
    assert_eq!(
        keys,
        [
            BarKey::Kind(DocumentKind::Deal),
            BarKey::Kind(DocumentKind::Lead),
            BarKey::Kind(DocumentKind::SmartProcess),
            BarKey::OtherKinds
        ]
    );
    assert_eq!(chart.bars[3].count, 5);
    assert_eq!(
        BarKey::OtherKinds.filter(),
        None,
        "no one filter selects the rest"
    );
}

#[test]
fn the_starters_chart_keeps_automation_apart_and_says_when_it_is_a_sample() {
    let mut people: Vec<(UserId, u64)> = (1..=12).map(|u| (UserId(u), 20 - u)).collect();
    people.push((UserId(0), 1));
    let chart = starter_chart(&people, false, 9_000, &Filters::new());
    let keys: Vec<BarKey> = chart.bars.iter().map(|b| b.key).collect();
    assert_eq!(keys.len(), 12);
    assert_eq!(
        keys[10],
        BarKey::Starter(UserId(0)),
        "automation is shown though it ranks last"
    );
    assert_eq!(keys[11], BarKey::OtherStarters);
    assert_eq!(chart.bars[11].count, 9 + 8);
    let rows: u64 = people.iter().map(|(_, n)| n).sum();
    assert_eq!(chart.coverage, Coverage::Sample { rows, of: 9_000 });
    let whole = starter_chart(&people, true, rows, &Filters::new());
    assert_eq!(whole.coverage, Coverage::Exact);
}

#[test]
fn starters_are_counted_from_rows_most_first() {
    let answer = rows_answer(&[3, 1, 3, 0, 3, 1], 6);
    let Some(Ok(raw)) = answer.get("c0") else {
        panic!("rows")
    };
    let rows: Vec<WorkflowRow> = WorkflowPage::from_raw(raw).expect("page").rows;
    assert_eq!(
        starters(&rows),
        [(UserId(3), 3), (UserId(1), 2), (UserId(0), 1)]
    );
}

#[test]
fn a_bar_is_marked_when_its_filter_is_the_tables() {
    let mut filters = Filters::new();
    filters.set(BarKey::Age(2).filter().expect("a filter"));
    let chart = age_chart(&[Some(1); 6], &filters);
    let active: Vec<bool> = chart.bars.iter().map(|b| b.active).collect();
    assert_eq!(active, [false, false, true, false, false, false]);
    assert_eq!(
        BarKey::Template(TemplateId(4)).filter(),
        Some(Filter::Template {
            id: TemplateId(4),
            exclude: false
        })
    );
    assert_eq!(
        BarKey::Starter(UserId(0)).filter(),
        Some(Preset::StartedByAutomation.filter())
    );
}

fn totals(pairs: impl IntoIterator<Item = (String, u64)>) -> Vec<(String, u64)> {
    pairs.into_iter().collect()
}

#[test]
fn the_overview_takes_three_requests_and_the_second_waits_for_template_counts() {
    let (mut o, first) = Overview::start(&Filters::new(), Some(&ids(3)), CTX).expect("start");
    assert_eq!(first.len(), 2);
    assert_eq!(o.chart(Dimension::Template), ChartState::Loading);
    let t = answer(
        &totals([("t1".into(), 4), ("t2".into(), 9), ("t3".into(), 0)]),
        &[],
    );
    let next = o.answered(Part::Templates(0), Ok(&t));
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].part, Part::Rest);
    let k = keys(&next[0].batch);
    assert!(k.contains(&"s2".to_owned()) && k.contains(&"s1".to_owned()));
    assert!(
        !k.contains(&"s3".to_owned()),
        "a template with none is not split"
    );
    // A repeated answer sends nothing more.
    assert!(o.answered(Part::Templates(0), Ok(&t)).is_empty());
    let mut rest: Vec<(String, u64)> = vec![("ta".into(), 15), ("ka".into(), 15)];
    rest.extend((0..6).map(|i| (format!("a{i}"), if i == 0 { 15 } else { 0 })));
    rest.extend((0..10).map(|i| (format!("k{i}"), if i == 0 { 13 } else { 0 })));
    for id in [1, 2] {
        for s in ["s", "i", "b"] {
            rest.push((format!("{s}{id}"), 1));
        }
    }
    assert!(o.answered(Part::Rest, Ok(&answer(&rest, &[]))).is_empty());
    assert!(!o.is_done(), "the sample is still out");
    assert!(o
        .answered(Part::Sample, Ok(&rows_answer(&[1, 1, 0], 3)))
        .is_empty());
    assert!(o.is_done());
    assert_eq!(o.requests(), 3);
    let ChartState::Ready(templates) = o.chart(Dimension::Template) else {
        panic!("template chart");
    };
    let got: Vec<(BarKey, u64)> = templates.bars.iter().map(|b| (b.key, b.count)).collect();
    assert_eq!(
        got,
        [
            (BarKey::Template(TemplateId(2)), 9),
            (BarKey::Template(TemplateId(1)), 4),
            (BarKey::Automation, 2)
        ]
    );
    let ChartState::Ready(kinds) = o.chart(Dimension::Kind) else {
        panic!("kinds");
    };
    assert_eq!(
        kinds.bars.last().map(|b| (b.key, b.count)),
        Some((BarKey::OtherKinds, 2))
    );
    let ChartState::Ready(starters) = o.chart(Dimension::Starter) else {
        panic!("starters");
    };
    assert_eq!(starters.coverage, Coverage::Exact);
    assert_eq!(starters.bars[0].key, BarKey::Starter(UserId(1)));
}

#[test]
fn failures_leave_the_other_charts_standing() {
    let (mut o, _) = Overview::start(&Filters::new(), Some(&ids(2)), CTX).expect("start");
    let next = o.answered(
        Part::Templates(0),
        Err(&RestError::Network {
            detail: "down".into(),
        }),
    );
    assert_eq!(next.len(), 1, "the ages and kinds are still asked");
    assert!(keys(&next[0].batch).iter().all(|k| !k.starts_with('s')));
    let mut rest: Vec<(String, u64)> = vec![("ta".into(), 5), ("ka".into(), 5)];
    rest.extend((0..6).map(|i| (format!("a{i}"), 1)));
    o.answered(Part::Rest, Ok(&answer(&rest, &["k0"])));
    assert_eq!(o.chart(Dimension::Template), ChartState::Failed);
    assert!(
        matches!(o.chart(Dimension::Age), ChartState::Ready(c) if c.coverage == Coverage::Exact)
    );
    assert_eq!(o.chart(Dimension::Kind), ChartState::Failed);
    o.answered(
        Part::Sample,
        Err(&RestError::Network {
            detail: "down".into(),
        }),
    );
    assert_eq!(o.chart(Dimension::Starter), ChartState::Failed);
    assert!(o.is_done());
}

#[test]
fn bar_tokens_read_back_and_nothing_else_does() {
    for key in [
        BarKey::Template(TemplateId(12)),
        BarKey::Age(5),
        BarKey::Kind(DocumentKind::SmartProcess),
        BarKey::Starter(UserId(0)),
    ] {
        let token = key.token().expect("clickable");
        assert_eq!(BarKey::from_token(&token), Some(key), "{token}");
    }
    assert_eq!(BarKey::Automation.token(), None);
    for bad in ["", "t", "tx", "a6", "kboat", "u-1", "x1", "\u{444}1"] {
        assert_eq!(BarKey::from_token(bad), None, "{bad}");
    }
}
