//! The table's view state as data: every interaction pinned to the exact
//! REST parameters it produces, the state transitions, filter checks,
//! chips and the URL-fragment / saved-view forms.

use serde_json::{json, Value};
use workflow_monitor::domain::i18n::{Lang, EN};
use workflow_monitor::domain::methods::instances::{
    Condition, Field, FilterOp, FilterValue, InstancesQuery, SortDir, TemplateId, UserId,
    WorkflowId, WorkflowRow,
};
use workflow_monitor::domain::table::filters::{
    violations, DateBound, DateRange, DocumentFilter, Filter, FilterKind, Filters, Preset, WallTime,
};
use workflow_monitor::domain::table::fragment::SavedOptions;
use workflow_monitor::domain::table::paging::{parse_page_input, PageSize, TotalChange};
use workflow_monitor::domain::table::requests::PageRequest;
use workflow_monitor::domain::table::view::{AriaSort, Column, Columns, PageTarget, ViewState};
use workflow_monitor::domain::time::TimeContext;
use workflow_monitor::domain::wire::batch::parse_batch;

/// 2025-01-01T00:00:00Z, an administrator in Moscow (+03:00).
const CTX: TimeContext = TimeContext {
    now: 1_735_689_600,
    offset_minutes: 180,
};

/// One interaction applied to a view.
type Change = fn(&mut ViewState);

fn single(req: &PageRequest) -> Value {
    match req {
        PageRequest::Single { query } => query.to_params(),
        other => panic!("expected one call, got {other:?}"),
    }
}

fn filter_of(view: &ViewState) -> String {
    single(&view.request(CTX, None))["filter"].to_string()
}

fn order_of(view: &ViewState) -> String {
    single(&view.request(CTX, None))["order"].to_string()
}

fn with(filter: Filter) -> ViewState {
    let mut v = ViewState::default();
    v.set_filter(filter);
    v
}

fn day(s: &str) -> DateBound {
    DateBound::At(WallTime::parse(s).expect(s))
}

fn row(v: Value) -> WorkflowRow {
    WorkflowRow::from_value(&v).expect("a row")
}

// ----------------------------------------------------------------- sort --

#[test]
fn first_screen_is_one_call_newest_first_with_id_as_tie_breaker() {
    let params = single(&ViewState::default().request(CTX, None));
    assert_eq!(
        params.to_string(),
        concat!(
            r#"{"select":["ID","MODIFIED","OWNED_UNTIL","MODULE_ID","ENTITY","DOCUMENT_ID","STARTED","STARTED_BY","TEMPLATE_ID"],"#,
            r#""order":{"STARTED":"DESC","ID":"DESC"},"filter":{},"start":0}"#
        )
    );
    assert_eq!(
        ViewState::default().request(CTX, None).method(),
        "bizproc.workflow.instances"
    );
}

#[test]
fn first_click_on_a_date_sorts_newest_first_and_on_text_a_to_z() {
    let mut v = ViewState::default();
    v.sort_by(Field::Modified);
    assert_eq!(order_of(&v), r#"{"MODIFIED":"DESC","ID":"DESC"}"#);
    v.sort_by(Field::TemplateId);
    assert_eq!(order_of(&v), r#"{"TEMPLATE_ID":"ASC","ID":"ASC"}"#);
    v.sort_by(Field::OwnedUntil);
    assert_eq!(order_of(&v), r#"{"OWNED_UNTIL":"DESC","ID":"DESC"}"#);
}

#[test]
fn clicking_the_sorted_header_again_toggles_its_direction() {
    let mut v = ViewState::default();
    v.click_header(Field::Started, false);
    assert_eq!(order_of(&v), r#"{"STARTED":"ASC","ID":"ASC"}"#);
    v.click_header(Field::Started, false);
    assert_eq!(order_of(&v), r#"{"STARTED":"DESC","ID":"DESC"}"#);
}

#[test]
fn shift_click_appends_keys_in_click_order_and_toggles_an_existing_one_in_place() {
    let mut v = ViewState::default();
    v.sort_by(Field::TemplateId);
    v.click_header(Field::Started, true);
    v.click_header(Field::StartedBy, true);
    assert_eq!(
        order_of(&v),
        r#"{"TEMPLATE_ID":"ASC","STARTED":"DESC","STARTED_BY":"ASC","ID":"ASC"}"#
    );
    v.click_header(Field::Started, true);
    assert_eq!(
        order_of(&v),
        r#"{"TEMPLATE_ID":"ASC","STARTED":"ASC","STARTED_BY":"ASC","ID":"ASC"}"#
    );
    assert_eq!(v.sort_position(Field::TemplateId), Some((1, SortDir::Asc)));
    assert_eq!(v.sort_position(Field::Started), Some((2, SortDir::Asc)));
    assert_eq!(v.sort_position(Field::StartedBy), Some((3, SortDir::Asc)));
    assert_eq!(v.sort_position(Field::Modified), None);
    assert_eq!(v.aria_sort(Field::TemplateId), AriaSort::Ascending);
    assert_eq!(
        v.aria_sort(Field::Started),
        AriaSort::None,
        "only the primary"
    );
    // A plain click on a secondary key makes it the only key, toggled.
    v.click_header(Field::StartedBy, false);
    assert_eq!(order_of(&v), r#"{"STARTED_BY":"DESC","ID":"DESC"}"#);
    assert_eq!(v.aria_sort(Field::StartedBy).as_str(), "descending");
}

#[test]
fn sorting_by_id_itself_sends_id_once() {
    let mut v = ViewState::default();
    v.sort_by(Field::Id);
    assert_eq!(order_of(&v), r#"{"ID":"DESC"}"#);
    v.click_header(Field::Started, true);
    assert_eq!(order_of(&v), r#"{"ID":"DESC","STARTED":"DESC"}"#);
}

// --------------------------------------------------------- page 1 rule --

#[test]
fn every_sort_filter_and_page_size_change_resets_to_the_first_page() {
    let at_page_5 = || {
        let mut v = ViewState::default();
        v.go_to(PageTarget::Number(5), 10_000);
        assert_eq!(v.page(), 5);
        v
    };
    let changes: [(&str, Change); 5] = [
        ("sort", |v| v.sort_by(Field::Modified)),
        ("shift sort", |v| v.then_sort_by(Field::Entity)),
        ("filter", |v| v.set_filter(Filter::StartedBy(UserId(1)))),
        ("preset", |v| v.apply_preset(Preset::Stuck)),
        ("page size", |v| v.set_page_size(PageSize::Hundred)),
    ];
    for (what, change) in changes {
        let mut v = at_page_5();
        change(&mut v);
        assert_eq!(v.page(), 1, "{what}");
    }
    let mut v = at_page_5();
    v.set_filter(Filter::StartedBy(UserId(1)));
    v.go_to(PageTarget::Number(3), 10_000);
    v.remove_filter(FilterKind::StartedBy);
    assert_eq!(v.page(), 1, "removing a chip");
    v.set_filter(Filter::StartedBy(UserId(1)));
    v.go_to(PageTarget::Number(3), 10_000);
    v.clear_filters();
    assert_eq!(v.page(), 1, "clear all");
}

#[test]
fn column_changes_and_unchanged_filters_keep_the_page() {
    let mut v = ViewState::default();
    v.set_filter(Filter::StartedBy(UserId(1)));
    v.go_to(PageTarget::Number(4), 10_000);
    v.set_filter(Filter::StartedBy(UserId(1)));
    v.set_column_visible(Field::Entity, false);
    v.move_column(Field::Modified, 1);
    v.set_page_size(PageSize::Fifty);
    v.remove_filter(FilterKind::Template);
    assert_eq!(v.page(), 4);
}

// --------------------------------------------------------------- paging --

#[test]
fn page_buttons_and_jump_to_page_clamp_to_the_list() {
    let mut v = ViewState::default();
    v.go_to(PageTarget::Previous, 2_345);
    assert_eq!(v.page(), 1);
    v.go_to(PageTarget::Last, 2_345);
    assert_eq!(v.page(), 47);
    v.go_to(PageTarget::Next, 2_345);
    assert_eq!(v.page(), 47);
    v.go_to(PageTarget::Number(0), 2_345);
    assert_eq!(v.page(), 1);
    v.go_to(PageTarget::Number(u64::MAX), 2_345);
    assert_eq!(v.page(), 47);
    v.clamp_page(120);
    assert_eq!(v.page(), 3, "the list shrank under the admin");
    assert_eq!(parse_page_input(" 12 ", 47), Ok(12));
    assert_eq!(parse_page_input("0", 47), Ok(1));
    assert_eq!(parse_page_input("1,000", 47), Ok(47));
    assert_eq!(parse_page_input("99999999999999999999999", 47), Ok(47));
    assert!(parse_page_input("-3", 47).is_err());
    assert!(parse_page_input("", 47).is_err());
    assert!(parse_page_input("two", 47).is_err());
}

#[test]
fn showing_text_counts_rows_from_one_with_grouped_thousands() {
    let mut v = ViewState::default();
    v.go_to(PageTarget::Next, 2_345);
    let s = v.showing(50, 2_345);
    assert_eq!(s.text(Lang::En), "Showing 51–100 of 2,345");
    assert_eq!(s.text(Lang::Ru), "Показаны 51–100 из 2\u{a0}345");
    v.set_page_size(PageSize::FiveHundred);
    v.go_to(PageTarget::Last, 2_345);
    assert_eq!(
        v.showing(345, 2_345).text(Lang::En),
        "Showing 2,001–2,345 of 2,345"
    );
    assert_eq!(
        ViewState::default().showing(0, 0).text(Lang::En),
        "No workflows"
    );
    assert_eq!(
        ViewState::default().showing(0, 0).text(Lang::Ru),
        "Нет запущенных бизнес-процессов"
    );
}

#[test]
fn page_size_50_is_one_call_with_start_as_offset() {
    let mut v = ViewState::default();
    v.go_to(PageTarget::Number(3), 1_000);
    let params = single(&v.request(CTX, None));
    assert_eq!(params["start"], json!(100));
}

#[test]
fn page_size_100_is_one_batch_of_two_offsets_with_non_numeric_keys() {
    let mut v = ViewState::default();
    v.set_page_size(PageSize::Hundred);
    let req = v.request(CTX, None);
    assert_eq!(req.method(), "batch");
    let PageRequest::Batch { parts, .. } = &req else {
        panic!("a batch");
    };
    assert_eq!(parts, &[("s0".to_owned(), 0), ("s50".to_owned(), 50)]);
    let sel = "select[0]=ID&select[1]=MODIFIED&select[2]=OWNED_UNTIL&select[3]=MODULE_ID&select[4]=ENTITY&select[5]=DOCUMENT_ID&select[6]=STARTED&select[7]=STARTED_BY&select[8]=TEMPLATE_ID";
    assert_eq!(
        req.params(),
        json!({"halt": 1, "cmd": {
            "s0": format!("bizproc.workflow.instances?{sel}&order[STARTED]=DESC&order[ID]=DESC&start=0"),
            "s50": format!("bizproc.workflow.instances?{sel}&order[STARTED]=DESC&order[ID]=DESC&start=50"),
        }})
    );
}

#[test]
fn page_sizes_200_and_500_batch_4_and_10_offsets_from_the_pages_start() {
    let mut v = ViewState::default();
    v.set_page_size(PageSize::TwoHundred);
    v.go_to(PageTarget::Number(3), 10_000);
    let PageRequest::Batch { parts, .. } = v.request(CTX, None) else {
        panic!("a batch");
    };
    assert_eq!(
        parts,
        [
            ("s400".to_owned(), 400),
            ("s450".to_owned(), 450),
            ("s500".to_owned(), 500),
            ("s550".to_owned(), 550)
        ]
    );
    v.set_page_size(PageSize::FiveHundred);
    let PageRequest::Batch { parts, request } = v.request(CTX, None) else {
        panic!("a batch");
    };
    let starts: Vec<u64> = parts.iter().map(|(_, s)| *s).collect();
    assert_eq!(starts, [0, 50, 100, 150, 200, 250, 300, 350, 400, 450]);
    assert_eq!(request.keys().count(), 10);
    // A known total leaves out offsets past the end (one call always stays).
    let PageRequest::Batch { parts, .. } = v.request(CTX, Some(120)) else {
        panic!("a batch");
    };
    assert_eq!(parts.len(), 3);
    let PageRequest::Batch { parts, .. } = v.request(CTX, Some(0)) else {
        panic!("a batch");
    };
    assert_eq!(parts, [("s0".to_owned(), 0)]);
}

#[test]
fn a_batch_command_carries_the_filter_with_encoded_operators() {
    let mut v = with(Filter::Template {
        id: TemplateId(212),
        exclude: true,
    });
    v.set_filter(Filter::Started(DateRange {
        from: Some(day("2025-01-01")),
        to: None,
    }));
    v.set_page_size(PageSize::Hundred);
    for f in Field::COLUMNS {
        v.set_column_visible(f, false);
    }
    let cmd = v.request(CTX, None).params()["cmd"]["s50"].clone();
    assert_eq!(
        cmd,
        json!("bizproc.workflow.instances?select[0]=ID&select[1]=TEMPLATE_ID&order[STARTED]=DESC&order[ID]=DESC&filter[%3E%3DID]=67745b50&filter[%21TEMPLATE_ID]=212&start=50")
    );
}

#[test]
fn prefetch_is_exactly_the_next_pages_request_and_nothing_after_the_last() {
    for size in PageSize::ALL {
        let mut v = with(Preset::Stuck.filter());
        v.set_page_size(size);
        let next = v.prefetch_next(CTX, 2_345).expect("a next page");
        v.go_to(PageTarget::Next, 2_345);
        assert_eq!(next, v.request(CTX, Some(2_345)), "{size:?}");
        v.go_to(PageTarget::Last, 2_345);
        assert_eq!(v.prefetch_next(CTX, 2_345), None);
    }
}

#[test]
fn a_batch_answer_joins_into_one_page_in_offset_order() {
    let mut v = ViewState::default();
    v.set_page_size(PageSize::Hundred);
    let req = v.request(CTX, None);
    let rows = |from: usize, n: usize| -> Vec<Value> {
        (from..from + n)
            .map(|i| json!({"ID": format!("w{i:03}")}))
            .collect()
    };
    let body = json!({"result": {
        "result": {"s50": rows(50, 20), "s0": rows(0, 50)},
        "result_error": [],
        "result_total": {"s0": 70, "s50": 70},
        "result_next": {"s0": 50},
    }});
    let page = req
        .read_batch(&parse_batch(&body).expect("batch"))
        .expect("page");
    assert_eq!(page.rows.len(), 70);
    assert_eq!(page.rows[0].id.as_str(), "w000");
    assert_eq!(page.rows[69].id.as_str(), "w069");
    assert_eq!((page.total, page.next), (70, None));

    let failed = json!({"result": {"result": {"s0": rows(0, 50)},
        "result_error": {"s50": {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}}}});
    let err = req
        .read_batch(&parse_batch(&failed).expect("batch"))
        .expect_err("half a page is an error");
    assert!(err.is_retryable(), "{err:?}");
}

// -------------------------------------------------------------- filters --

#[test]
fn started_range_is_sent_as_an_exact_id_range_of_hex_seconds() {
    let v = with(Filter::Started(DateRange {
        from: Some(day("2025-01-01")),
        to: Some(day("2025-01-31")),
    }));
    // 2025-01-01T00:00+03:00 = 0x67745b50; 2025-02-01T00:00+03:00 = 0x679d39d0.
    assert_eq!(filter_of(&v), r#"{">=ID":"67745b50","<ID":"679d39d0"}"#);
    let minute = with(Filter::Started(DateRange {
        from: None,
        to: Some(day("2025-01-01T00:00")),
    }));
    assert_eq!(filter_of(&minute), r#"{"<ID":"67745b8c"}"#);
}

#[test]
fn modified_and_locked_until_ranges_are_iso_8601_in_the_admins_offset() {
    let v = with(Filter::Modified(DateRange {
        from: Some(day("2025-01-01T09:30")),
        to: Some(day("2025-01-02")),
    }));
    assert_eq!(
        filter_of(&v),
        r#"{">=MODIFIED":"2025-01-01T09:30:00+03:00","<MODIFIED":"2025-01-03T00:00:00+03:00"}"#
    );
    let west = TimeContext {
        now: CTX.now,
        offset_minutes: -300,
    };
    let v = with(Filter::LockedUntil(DateRange {
        from: Some(day("2024-12-31")),
        to: None,
    }));
    assert_eq!(
        single(&v.request(west, None))["filter"].to_string(),
        r#"{">=OWNED_UNTIL":"2024-12-31T00:00:00-05:00"}"#
    );
}

#[test]
fn template_started_by_document_and_id_filters_use_only_safe_operators() {
    let cases = [
        (
            Filter::Template {
                id: TemplateId(212),
                exclude: false,
            },
            r#"{"TEMPLATE_ID":212}"#,
        ),
        (
            Filter::Template {
                id: TemplateId(212),
                exclude: true,
            },
            r#"{"!TEMPLATE_ID":212}"#,
        ),
        (Filter::StartedBy(UserId(57)), r#"{"STARTED_BY":57}"#),
        (Filter::StartedBy(UserId(0)), r#"{"STARTED_BY":0}"#),
        (
            Filter::Document(DocumentFilter::new("crm", "CCrmDocumentDeal", None).expect("kind")),
            r#"{"MODULE_ID":"crm","ENTITY":"CCrmDocumentDeal"}"#,
        ),
        (
            Filter::Document(
                DocumentFilter::new(
                    "crm",
                    "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic",
                    Some("DYNAMIC_147_1"),
                )
                .expect("doc"),
            ),
            r#"{"MODULE_ID":"crm","ENTITY":"Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic","DOCUMENT_ID":"DYNAMIC_147_1"}"#,
        ),
        (
            Filter::workflow_id(" 66e412fdc9bd44.36306599 ").expect("id"),
            r#"{"ID":"66e412fdc9bd44.36306599"}"#,
        ),
    ];
    for (filter, want) in cases {
        assert_eq!(filter_of(&with(filter.clone())), want, "{filter:?}");
    }
}

#[test]
fn presets_are_ordinary_filters_resolved_against_the_given_now() {
    let cases = [
        (
            Preset::Stuck,
            r#"{"<OWNED_UNTIL":"2025-01-01T02:55:00+03:00"}"#,
        ),
        (Preset::StartedByAutomation, r#"{"STARTED_BY":0}"#),
        (Preset::OlderThan30Days, r#"{"<ID":"674cf880"}"#),
        (
            Preset::IdleFor7Days,
            r#"{"<MODIFIED":"2024-12-25T03:00:00+03:00"}"#,
        ),
    ];
    for (preset, want) in cases {
        let mut v = ViewState::default();
        v.apply_preset(preset);
        assert_eq!(filter_of(&v), want, "{preset:?}");
        assert!(v.filters().has_preset(preset));
        assert_eq!(v.chips(&|_| None, Lang::En)[0].label, preset.name(&EN));
    }
    // Editable: changing the range turns the preset into a plain filter.
    let mut v = ViewState::default();
    v.apply_preset(Preset::Stuck);
    v.set_filter(Filter::LockedUntil(DateRange {
        from: None,
        to: Some(DateBound::Ago(600)),
    }));
    assert!(!v.filters().has_preset(Preset::Stuck));
    assert_eq!(
        v.chips(&|_| None, Lang::En)[0].label,
        "Locked until more than 10 minutes ago"
    );
}

#[test]
fn an_exact_id_and_a_started_range_are_distinct_keys_and_both_apply() {
    let mut v = with(Filter::workflow_id("674cf880aaaaa1.00000001").expect("id"));
    v.apply_preset(Preset::OlderThan30Days);
    v.set_filter(Filter::Started(DateRange {
        from: Some(day("2024-01-01")),
        to: Some(DateBound::Ago(30 * 86_400)),
    }));
    // All three hold at once on the server (AND); this ID was made in the
    // bound second itself, so it is not "before" it and nothing matches.
    assert_eq!(
        filter_of(&v),
        r#"{">=ID":"6591d650","<ID":"674cf880","ID":"674cf880aaaaa1.00000001"}"#
    );
}

#[test]
fn two_conditions_on_one_key_keep_the_stricter_bound() {
    let q = InstancesQuery {
        filter: vec![
            Condition::new(
                FilterOp::Lt,
                Field::Id,
                FilterValue::Text("679d39d0".into()),
            ),
            Condition::new(
                FilterOp::Ge,
                Field::Id,
                FilterValue::Text("67745b50".into()),
            ),
            Condition::new(
                FilterOp::Lt,
                Field::Id,
                FilterValue::Text("674cf880".into()),
            ),
            Condition::new(
                FilterOp::Ge,
                Field::Id,
                FilterValue::Text("60000000".into()),
            ),
            Condition::new(FilterOp::Eq, Field::StartedBy, FilterValue::Number(1)),
            Condition::new(FilterOp::Eq, Field::StartedBy, FilterValue::Number(2)),
        ],
        ..InstancesQuery::default()
    };
    assert_eq!(
        q.to_params()["filter"].to_string(),
        r#"{"<ID":"674cf880",">=ID":"67745b50","STARTED_BY":1}"#
    );
}

#[test]
fn every_filter_at_once_sends_unique_upper_case_keys_with_safe_operators() {
    let mut v = ViewState::default();
    v.set_filter(Filter::Started(DateRange {
        from: Some(day("2024-01-01")),
        to: Some(day("2024-12-31")),
    }));
    v.set_filter(Filter::Modified(DateRange {
        from: Some(DateBound::Ago(86_400)),
        to: Some(day("2030-01-01")),
    }));
    v.apply_preset(Preset::Stuck);
    v.set_filter(Filter::Template {
        id: TemplateId(3),
        exclude: false,
    });
    v.apply_preset(Preset::StartedByAutomation);
    v.set_filter(Filter::Document(
        DocumentFilter::new("disk", "Bitrix\\Disk\\BizProcDocument", Some("777")).expect("doc"),
    ));
    v.set_filter(Filter::workflow_id("x").expect("id"));
    assert_eq!(v.filters().len(), 7);
    for size in PageSize::ALL {
        v.set_page_size(size);
        v.go_to(PageTarget::Number(2), 100_000);
        let queries: Vec<Value> = match v.request(CTX, None) {
            PageRequest::Single { query } => vec![query.to_params()],
            PageRequest::Batch { parts, .. } => parts
                .iter()
                .map(|(_, s)| v.query_at(*s, CTX).to_params())
                .collect(),
        };
        for params in queries {
            let filter = params["filter"].as_object().expect("filter");
            assert_eq!(filter.len(), 11);
            for key in filter.keys() {
                let field = key.trim_start_matches(['!', '<', '>', '=']);
                let op = &key[..key.len() - field.len()];
                assert!(
                    ["", "!", "<", "<=", ">", ">="].contains(&op),
                    "operator {op:?}"
                );
                assert!(!key.starts_with('='), "{key}");
                assert!(!key.starts_with("!="), "{key}");
                assert!(Field::from_wire(field).is_some(), "{key}");
            }
            assert!(params["start"].as_u64().is_some(), "start is never -1");
            for k in ["select", "order", "filter", "start"] {
                assert!(params.get(k).is_some(), "{k}");
            }
        }
    }
}

#[test]
fn select_holds_only_shown_columns_id_and_what_the_filters_need() {
    let mut v = ViewState::default();
    for f in Field::COLUMNS {
        v.set_column_visible(f, f == Field::Started);
    }
    assert_eq!(
        single(&v.request(CTX, None))["select"].to_string(),
        r#"["ID","STARTED"]"#
    );
    v.set_filter(Filter::Template {
        id: TemplateId(212),
        exclude: false,
    });
    v.apply_preset(Preset::Stuck);
    v.apply_preset(Preset::OlderThan30Days);
    assert_eq!(
        single(&v.request(CTX, None))["select"].to_string(),
        r#"["ID","OWNED_UNTIL","STARTED","TEMPLATE_ID"]"#
    );
    // Column order does not change the request.
    let before = v.request(CTX, None);
    v.move_column(Field::Started, 0);
    assert_eq!(v.request(CTX, None), before);
}

// ----------------------------------------------------------- violations --

#[test]
fn names_the_filter_the_portal_ignored() {
    let filters = with(Filter::Template {
        id: TemplateId(212),
        exclude: false,
    });
    let rows = [
        row(json!({"ID": "a", "TEMPLATE_ID": "212"})),
        row(json!({"ID": "b", "TEMPLATE_ID": "7"})),
        row(json!({"ID": "c"})),
    ];
    let found = violations(&rows, filters.filters(), CTX);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind(), FilterKind::Template);
    assert_eq!(found[0].rows, [WorkflowId::new("b")]);
    assert_eq!(
        found[0].message(Lang::En),
        "The portal ignored the Template filter: it returned workflows of other templates."
    );
}

#[test]
fn rows_that_obey_every_filter_raise_nothing() {
    let mut v = ViewState::default();
    v.apply_preset(Preset::Stuck);
    v.apply_preset(Preset::StartedByAutomation);
    v.apply_preset(Preset::OlderThan30Days);
    v.apply_preset(Preset::IdleFor7Days);
    v.set_filter(Filter::Document(
        DocumentFilter::new("crm", "CCrmDocumentDeal", Some("DEAL_1")).expect("doc"),
    ));
    let ok = row(json!({
        "ID": "674cf87fabcde1.1", "OWNED_UNTIL": "2025-01-01T02:54:59+03:00",
        "STARTED_BY": "0", "MODIFIED": "2024-12-24T23:59:59+00:00",
        "MODULE_ID": "CRM", "ENTITY": "CCrmDocumentDeal", "DOCUMENT_ID": "deal_1"
    }));
    assert_eq!(violations(&[ok], v.filters(), CTX), vec![]);
}

#[test]
fn each_preset_reports_its_own_name_when_ignored() {
    let cases = [
        (
            Preset::Stuck,
            json!({"ID": "a", "OWNED_UNTIL": "2025-01-01T02:55:00+03:00"}),
            "The portal ignored the Stuck filter: it returned workflows that are not stuck.",
        ),
        (
            Preset::StartedByAutomation,
            json!({"ID": "a", "STARTED_BY": "5"}),
            "The portal ignored the Started by automation filter: it returned workflows started by people.",
        ),
        (
            Preset::OlderThan30Days,
            json!({"ID": "674cf880c9bd44.1"}),
            "The portal ignored the Older than 30 days filter: it returned workflows started outside the chosen dates.",
        ),
        (
            Preset::IdleFor7Days,
            json!({"ID": "a", "MODIFIED": "2024-12-25T00:00:00Z"}),
            "The portal ignored the Idle for more than 7 days filter: it returned workflows changed in the last 7 days.",
        ),
    ];
    for (preset, r, message) in cases {
        let mut fs = Filters::new();
        fs.set(preset.filter());
        let found = violations(&[row(r)], &fs, CTX);
        assert_eq!(found.len(), 1, "{preset:?}");
        assert_eq!(found[0].message(Lang::En), message);
    }
}

#[test]
fn unlocked_rows_and_rows_without_the_field_cannot_prove_a_violation() {
    let mut fs = Filters::new();
    fs.set(Preset::Stuck.filter());
    fs.set(Filter::StartedBy(UserId(3)));
    fs.set(Filter::Modified(DateRange {
        from: Some(day("2030-01-01")),
        to: None,
    }));
    let rows = [
        row(json!({"ID": "a", "OWNED_UNTIL": null})),
        row(json!({"ID": "b", "STARTED_BY": "user_5", "MODIFIED": "yesterday"})),
    ];
    assert_eq!(violations(&rows, &fs, CTX), vec![]);
}

#[test]
fn an_ignored_exact_id_or_document_filter_is_named() {
    let mut fs = Filters::new();
    fs.set(Filter::workflow_id("66E412FDC9BD44.1").expect("id"));
    fs.set(Filter::Document(
        DocumentFilter::new("crm", "CCrmDocumentLead", None).expect("kind"),
    ));
    let rows = [
        row(json!({"ID": "66e412fdc9bd44.1", "MODULE_ID": "crm", "ENTITY": "CCrmDocumentLead"})),
        row(json!({"ID": "other", "MODULE_ID": "crm", "ENTITY": "CCrmDocumentDeal"})),
    ];
    let messages: Vec<String> = violations(&rows, &fs, CTX)
        .iter()
        .map(|v| v.message(Lang::En))
        .collect();
    assert_eq!(
        messages,
        [
            "The portal ignored the Document filter: it returned workflows of other documents.",
            "The portal ignored the Workflow ID filter: it returned other workflows."
        ]
    );
}

// ---------------------------------------------------------------- chips --

#[test]
fn chips_read_as_short_sentences_and_use_names_when_known() {
    let mut v = ViewState::default();
    v.set_filter(Filter::Started(DateRange {
        from: Some(day("2025-01-01")),
        to: Some(day("2025-01-31")),
    }));
    v.set_filter(Filter::Modified(DateRange {
        from: Some(day("2025-01-01T09:30")),
        to: None,
    }));
    v.set_filter(Filter::Template {
        id: TemplateId(212),
        exclude: false,
    });
    v.set_filter(Filter::StartedBy(UserId(57)));
    v.set_filter(Filter::workflow_id("66e412fdc9bd44.36306599").expect("id"));
    let labels: Vec<String> = v
        .chips(&|_| None, Lang::En)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(
        labels,
        [
            "Started 2025-01-01 – 2025-01-31",
            "Modified from 2025-01-01 09:30",
            "Template is 212",
            "Started by user 57",
            "Workflow ID is 66e412fdc9bd44.36306599",
        ]
    );
    let names = |f: &Filter| match f {
        Filter::Template { .. } => Some("Deal approval".into()),
        Filter::StartedBy(_) => Some("Anna Petrova".into()),
        _ => None,
    };
    let named = v.chips(&names, Lang::En);
    assert_eq!(named[2].label, "Template is Deal approval");
    assert_eq!(named[3].label, "Started by Anna Petrova");
    assert_eq!(named[3].kind, FilterKind::StartedBy);
    let russian: Vec<String> = v
        .chips(&names, Lang::Ru)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(
        russian,
        [
            "Запущен 2025-01-01 – 2025-01-31",
            "Изменён с 2025-01-01 09:30",
            "Шаблон: Deal approval",
            "Кем запущен: Anna Petrova",
            "ID процесса: 66e412fdc9bd44.36306599",
        ]
    );
    v.clear_filters();
    assert!(v.chips(&|_| None, Lang::En).is_empty());
}

// ------------------------------------------------------------- fragment --

fn rich_view() -> ViewState {
    let mut v = ViewState::default();
    v.sort_by(Field::TemplateId);
    v.then_sort_by(Field::Modified);
    v.set_filter(Filter::Started(DateRange {
        from: Some(day("2025-01-01")),
        to: Some(day("2025-01-31T18:00")),
    }));
    v.apply_preset(Preset::Stuck);
    v.set_filter(Filter::Template {
        id: TemplateId(212),
        exclude: true,
    });
    v.apply_preset(Preset::StartedByAutomation);
    v.set_filter(Filter::Document(
        DocumentFilter::new(
            "crm",
            "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic",
            Some("DYNAMIC_147_1"),
        )
        .expect("doc"),
    ));
    v.set_page_size(PageSize::TwoHundred);
    v.go_to(PageTarget::Number(3), 10_000);
    v.set_column_visible(Field::Entity, false);
    v.move_column(Field::Modified, 1);
    v
}

#[test]
fn the_default_view_is_the_empty_fragment() {
    assert_eq!(ViewState::default().to_fragment(), "");
    assert_eq!(ViewState::from_fragment(""), ViewState::default());
    assert_eq!(ViewState::from_fragment("#"), ViewState::default());
}

#[test]
fn a_view_becomes_a_readable_percent_safe_fragment_and_back() {
    let v = rich_view();
    let text = v.to_fragment();
    assert_eq!(
        text,
        concat!(
            "sort=template,-modified",
            "&started=2025-01-01..2025-01-31T18:00&locked=..5m&template=!212&by=0",
            "&module=crm&entity=Bitrix%5CCrm%5CIntegration%5CBizProc%5CDocument%5CDynamic",
            "&document=DYNAMIC_147_1&page=3&size=200",
            "&cols=id,modified,started,!age,by,template,!waiting,module,!entity,document,!idle,locked"
        )
    );
    assert!(text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~:@!&=,%".contains(&b)));
    assert_eq!(ViewState::from_fragment(&text), v);
    assert_eq!(ViewState::from_fragment(&format!("#{text}")), v);
}

#[test]
fn garbled_fragment_parts_are_dropped_and_the_rest_is_kept() {
    let v = ViewState::from_fragment(
        "#sort=-bogus,modified,,-&started=2025-02-30..&modified=..7d&template=abc&by=-1\
         &module=crm&document=DEAL_1&id=&page=0&size=75&cols=nope&x=1&=&&%&page",
    );
    assert_eq!(v.sort(), &[(Column::Field(Field::Modified), SortDir::Asc)]);
    assert_eq!(v.filters().len(), 1, "{:?}", v.filters());
    assert!(v.filters().has_preset(Preset::IdleFor7Days));
    assert_eq!(v.page(), 1);
    assert_eq!(v.page_size(), PageSize::Fifty);
    assert_eq!(v.columns(), &Columns::default());
    let huge = ViewState::from_fragment("page=99999999999999999999999999");
    assert!(huge.page() >= 1);
    let bad_escape = ViewState::from_fragment("id=%E2%28%A1&by=5");
    assert_eq!(
        bad_escape.filters().get(FilterKind::StartedBy),
        Some(&Filter::StartedBy(UserId(5)))
    );
    assert_eq!(bad_escape.filters().len(), 1);
}

#[test]
fn hostile_fragments_never_panic_and_always_give_a_valid_view() {
    let alphabet: Vec<char> =
        "abcdeimnorstyz0123456789-_.~!&=,%:#+ \u{0}\u{202e}é\\/[]{}<>\"'ÿ日.."
            .chars()
            .collect();
    let keys = [
        "sort=",
        "started=",
        "modified=",
        "locked=",
        "template=",
        "by=",
        "module=",
        "entity=",
        "document=",
        "id=",
        "page=",
        "size=",
        "cols=",
        "&",
        "..",
        "%",
        "!",
        "-",
    ];
    // A small deterministic PRNG (xorshift), so failures reproduce.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..5_000 {
        let mut s = String::new();
        for _ in 0..(next() % 40) {
            if next() % 3 == 0 {
                s.push_str(keys[(next() % keys.len() as u64) as usize]);
            } else {
                s.push(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
        }
        let v = ViewState::from_fragment(&s);
        assert!(v.page() >= 1);
        assert!(v.columns().is_visible(Field::Id));
        assert!(!v.sort().is_empty());
        // What it made of the input survives its own round trip.
        assert_eq!(ViewState::from_fragment(&v.to_fragment()), v, "{s:?}");
    }
    let long = "sort=-started&".repeat(10_000);
    assert_eq!(
        ViewState::from_fragment(&long).sort(),
        &[(Column::Field(Field::Started), SortDir::Desc)]
    );
    let multibyte = "é".repeat(5_000);
    assert_eq!(ViewState::from_fragment(&multibyte), ViewState::default());
}

// ---------------------------------------------------------- saved views --

#[test]
fn saved_options_are_strings_and_read_back_from_strings() {
    let mut saved = SavedOptions::default();
    saved.save_default(&rich_view());
    let stored = serde_json::to_value(&saved).expect("json");
    assert!(stored["wm_view"].is_string());
    assert_eq!(
        stored["wm_columns"],
        json!("id,modified,started,!age,by,template,!waiting,module,!entity,document,!idle,locked")
    );
    assert!(
        !stored["wm_view"].as_str().unwrap_or("").contains("page="),
        "the default view opens on page 1"
    );
    let back: SavedOptions = serde_json::from_value(stored).expect("back");
    assert_eq!(back, saved);

    // What the portal may hand back: other keys, non-strings, nothing.
    let odd: SavedOptions = serde_json::from_value(json!({
        "other": "x", "wm_view": 17, "wm_columns": "!started,bogus"
    }))
    .expect("tolerant");
    assert_eq!(odd.view, Some(ViewState::default()));
    let cols = odd.columns.expect("columns");
    assert!(!cols.is_visible(Field::Started));
    assert_eq!(cols.entries().len(), Column::ALL.len());
    let empty: SavedOptions = serde_json::from_value(json!([])).unwrap_or_default();
    assert_eq!(empty, SavedOptions::default());
}

#[test]
fn the_url_wins_over_the_saved_view_but_saved_columns_stay() {
    let mut saved = SavedOptions::default();
    saved.save_default(&rich_view());
    let opened = saved.initial_view("");
    assert_eq!(opened, rich_view().as_default());
    let linked = saved.initial_view("#by=5");
    assert_eq!(linked.filters().len(), 1);
    assert_eq!(linked.sort(), ViewState::default().sort());
    assert_eq!(linked.columns(), rich_view().columns());
    let own_cols = saved.initial_view("#cols=id,started");
    assert_eq!(
        own_cols.columns().visible()[..2],
        [Field::Id, Field::Started]
    );
}

// -------------------------------------------------------- total changes --

#[test]
fn tells_the_admin_when_the_total_moves_between_pages_of_one_list() {
    assert_eq!(TotalChange::detect(None, 100), None);
    assert_eq!(TotalChange::detect(Some(100), 100), None);
    let grew = TotalChange::detect(Some(2_345), 2_350).expect("changed");
    assert_eq!(
        grew.message(Lang::En),
        "The list changed while you were reading: 5 workflows started; there are now 2,350 in all. Rows may have moved between pages."
    );
    assert_eq!(
        grew.message(Lang::Ru),
        "Список изменился, пока вы его читали: запущено 5 процессов; теперь их всего 2\u{a0}350. Строки могли переместиться между страницами."
    );
    let shrank = TotalChange::detect(Some(2), 1).expect("changed");
    assert!(shrank
        .message(Lang::En)
        .contains("1 workflow ended or was removed;"));
    let shrank = TotalChange::detect(Some(24), 2).expect("changed");
    assert!(shrank
        .message(Lang::Ru)
        .contains("завершено или удалено 22 процесса;"));
    let a = rich_view();
    let mut b = a.clone();
    b.go_to(PageTarget::Next, 10_000);
    b.set_column_visible(Field::ModuleId, false);
    assert!(a.same_list(&b), "paging keeps the list");
    b.sort_by(Field::Id);
    assert!(!a.same_list(&b), "a new sort is a new list");
}

#[test]
fn the_document_column_brings_the_fields_that_name_and_link_it() {
    let mut v = ViewState::default();
    for f in Field::COLUMNS {
        v.set_column_visible(f, f == Field::DocumentId);
    }
    assert_eq!(
        single(&v.request(CTX, None))["select"].to_string(),
        r#"["ID","MODULE_ID","ENTITY","DOCUMENT_ID"]"#
    );
}

// --------------------------------------------------- people by reference --

#[test]
fn a_first_screen_asks_its_people_by_reference_in_the_same_batch() {
    let v = ViewState::default();
    let with = v
        .request(CTX, None)
        .with_people(None)
        .expect("a page with people");
    assert_eq!(with.people, vec!["people_s0".to_owned()]);
    let params = with.page.params();
    assert_eq!(params["halt"], json!(1));
    let cmd = params["cmd"].as_object().expect("commands");
    assert_eq!(
        cmd.keys().collect::<Vec<_>>(),
        vec!["s0", "people_s0"],
        "the rows first: a reference needs its answer"
    );
    assert!(cmd["s0"]
        .as_str()
        .is_some_and(|c| c.starts_with("bizproc.workflow.instances?select[0]=ID&")));
    let people = cmd["people_s0"].as_str().expect("a command");
    assert!(
        people.starts_with(
            "user.get?FILTER[%40ID][0]=%24result%5Bs0%5D%5B0%5D%5BSTARTED_BY%5D&FILTER[%40ID][1]="
        ),
        "{people}"
    );
    assert_eq!(people.matches("STARTED_BY").count(), 50);
    // Where the total is known, only rows that exist are referred to.
    let short = v
        .request(CTX, Some(30))
        .with_people(Some(30))
        .expect("people");
    let cmd = short.page.params()["cmd"]["people_s0"].to_string();
    assert_eq!(cmd.matches("STARTED_BY").count(), 30);
    assert_eq!(v.request(CTX, Some(0)).with_people(Some(0)), None);
}

#[test]
fn a_batch_page_asks_the_people_of_each_part_after_every_part() {
    let mut v = ViewState::default();
    v.set_page_size(PageSize::Hundred);
    let with = v
        .request(CTX, Some(70))
        .with_people(Some(70))
        .expect("people");
    assert_eq!(with.people, vec!["people_s0", "people_s50"]);
    let params = with.page.params();
    let keys: Vec<&String> = params["cmd"].as_object().expect("cmds").keys().collect();
    assert_eq!(keys, vec!["s0", "s50", "people_s0", "people_s50"]);
    let part2 = params["cmd"]["people_s50"].to_string();
    assert_eq!(part2.matches("STARTED_BY").count(), 20);
    assert!(part2.contains("%24result%5Bs50%5D%5B19%5D%5BSTARTED_BY%5D"));
}

#[test]
fn the_people_answer_is_a_bonus_never_an_error() {
    let v = ViewState::default();
    let with = v.request(CTX, None).with_people(None).expect("people");
    let rows: Vec<Value> = (0..2)
        .map(|i| json!({"ID": format!("w{i}"), "STARTED_BY": "5"}))
        .collect();
    let body = json!({"result": {
        "result": {"s0": rows, "people_s0": [{"ID": "5", "NAME": "Ann", "LAST_NAME": "Lee"}]},
        "result_error": [],
        "result_total": {"s0": 2},
        "result_next": [],
    }});
    let answer = parse_batch(&body).expect("batch");
    let page = with.page.read_batch(&answer).expect("page");
    assert_eq!(page.rows.len(), 2);
    let people = with.read_people(&answer);
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].name, "Ann Lee");

    let failed = json!({"result": {
        "result": {"s0": [{"ID": "w0", "STARTED_BY": "5"}]},
        "result_error": {"people_s0": {"error": "ERROR_CORE", "error_description": "bad filter"}},
        "result_total": {"s0": 1},
    }});
    let answer = parse_batch(&failed).expect("batch");
    assert_eq!(with.page.read_batch(&answer).expect("page").rows.len(), 1);
    assert!(with.read_people(&answer).is_empty());
    let odd = json!({"result": {"result": {"s0": [], "people_s0": {"weird": true}}}});
    assert!(with
        .read_people(&parse_batch(&odd).expect("batch"))
        .is_empty());
}
