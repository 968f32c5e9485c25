//! The application storage `entity.*`: storages, properties, items, rights,
//! the value-size knobs, the `entity` scope, batches, and the control API's
//! view of the storage.

mod common;

use common::Portal;
use serde_json::{json, Value};

/// A storage `wfm_hist` with the properties `wf_id` (S) and `count` (N).
async fn history(p: &Portal) {
    let (s, b) = p
        .call(
            "entity.add",
            json!({"ENTITY": "wfm_hist", "NAME": "Stop history", "ACCESS": {"AU": "R"}}),
        )
        .await;
    assert_eq!((s, b["result"].clone()), (200, json!(true)), "{b}");
    for (code, kind) in [("wf_id", "S"), ("count", "N")] {
        let (s, b) = p
            .call(
                "entity.item.property.add",
                json!({"ENTITY": "wfm_hist", "PROPERTY": code, "NAME": code, "TYPE": kind}),
            )
            .await;
        assert_eq!((s, b["result"].clone()), (200, json!(true)), "{b}");
    }
}

async fn add_item(p: &Portal, name: &str, values: Value) -> i64 {
    let (s, b) = p
        .call(
            "entity.item.add",
            json!({"ENTITY": "wfm_hist", "NAME": name, "PROPERTY_VALUES": values}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b["result"].as_i64().expect("the new ID is a JSON integer")
}

fn names(body: &Value) -> Vec<String> {
    body["result"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["NAME"].as_str().expect("NAME").to_owned())
        .collect()
}

#[tokio::test]
async fn storages_are_created_once_found_in_any_case_and_deleted() {
    let p = Portal::start(5).await;
    history(&p).await;
    let (s, b) = p
        .call("entity.add", json!({"entity": "WFM_HIST", "name": "Again"}))
        .await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "ERROR_ENTITY_ALREADY_EXISTS", "error_description": "Entity already exists"})
        )
    );
    let (s, b) = p.call("entity.get", json!({"ENTITY": "wfm_hist"})).await;
    assert_eq!(s, 200);
    assert_eq!(
        b["result"],
        json!({"ID": "183", "IBLOCK_TYPE_ID": "rest_entity", "ENTITY": "wfm_hist", "NAME": "Stop history"})
    );
    let (_, b) = p.call("entity.get", json!({})).await;
    assert_eq!(b["result"].as_array().map(Vec::len), Some(1));
    let (_, b) = p.call("entity.rights", json!({"ENTITY": "wfm_hist"})).await;
    assert_eq!(
        b["result"],
        json!({"AU": "R", "U1": "X"}),
        "the creator gets X"
    );

    let (s, b) = p.call("entity.add", json!({"NAME": "x"})).await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "ERROR_ARGUMENT", "error_description": "Argument 'ENTITY' is null or empty", "argument": "ENTITY"})
        )
    );
    let (s, b) = p
        .call("entity.add", json!({"ENTITY": "!!--", "NAME": "x"}))
        .await;
    assert_eq!((s, b["error"].clone()), (400, json!("ERROR_ARGUMENT")));
    let (s, b) = p
        .call(
            "entity.add",
            json!({"ENTITY": "fourteen_chars", "NAME": "x"}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        b["error_description"],
        json!("Entity code is too long. Max length is 13 characters.")
    );

    let (s, b) = p.call("entity.delete", json!({"ENTITY": "wfm_hist"})).await;
    assert_eq!((s, b["result"].clone()), (200, json!(true)));
    let (s, b) = p.call("entity.get", json!({"ENTITY": "wfm_hist"})).await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "ERROR_ENTITY_NOT_FOUND", "error_description": "Entity not found"})
        )
    );
}

#[tokio::test]
async fn properties_are_checked_and_listed_by_sort() {
    let p = Portal::start(5).await;
    history(&p).await;
    let call = |params: Value| p.call("entity.item.property.add", params);
    let (s, b) = call(json!({"ENTITY": "wfm_hist", "PROPERTY": "WF_ID", "NAME": "x"})).await;
    assert_eq!(
        (s, b["error"].clone()),
        (400, json!("ERROR_PROPERTY_ALREADY_EXISTS"))
    );
    let (s, b) = call(json!({"ENTITY": "wfm_hist", "PROPERTY": "1st", "NAME": "x"})).await;
    assert_eq!((s, b["error"].clone()), (400, json!("ERROR_CORE")), "{b}");
    let (s, b) = call(json!({"ENTITY": "wfm_hist", "PROPERTY": "kind", "TYPE": "L"})).await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "ERROR_ARGUMENT", "error_description": "Wrong entity item property type", "argument": "TYPE"})
        )
    );
    let (s, b) = call(json!({"ENTITY": "wfm_hist"})).await;
    assert_eq!((s, b["argument"].clone()), (400, json!("PROPERTY")));
    let (s, b) = call(json!({"ENTITY": "nothing", "PROPERTY": "p"})).await;
    assert_eq!(
        (s, b["error"].clone()),
        (400, json!("ERROR_ENTITY_NOT_FOUND"))
    );
    let (s, _) =
        call(json!({"ENTITY": "wfm_hist", "PROPERTY": "first", "NAME": "First", "SORT": 10})).await;
    assert_eq!(s, 200);

    let (_, b) = p
        .call("entity.item.property.get", json!({"ENTITY": "wfm_hist"}))
        .await;
    assert_eq!(
        b["result"],
        json!([
            {"PROPERTY": "first", "NAME": "First", "TYPE": "S", "SORT": "10"},
            {"PROPERTY": "wf_id", "NAME": "wf_id", "TYPE": "S", "SORT": "500"},
            {"PROPERTY": "count", "NAME": "count", "TYPE": "N", "SORT": "500"},
        ])
    );
    let (_, b) = p
        .call(
            "entity.item.property.get",
            json!({"ENTITY": "wfm_hist", "PROPERTY": "COUNT"}),
        )
        .await;
    assert_eq!(
        b["result"],
        json!({"PROPERTY": "count", "NAME": "count", "TYPE": "N", "SORT": "500"})
    );
    let (s, b) = p
        .call(
            "entity.item.property.get",
            json!({"ENTITY": "wfm_hist", "PROPERTY": "nope"}),
        )
        .await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "ERROR_PROPERTY_NOT_FOUND", "error_description": "Property not found"})
        )
    );
}

#[tokio::test]
async fn items_are_added_updated_listed_and_deleted() {
    let p = Portal::start(5).await;
    history(&p).await;
    let first = add_item(
        &p,
        "Run 1",
        json!({"wf_id": "66e412fdc9bd44.36306599", "count": 3, "unknown": "dropped", "WF_ID": "wrong case"}),
    )
    .await;
    let (s, b) = p
        .call(
            "entity.item.get",
            json!({"ENTITY": "wfm_hist", "FILTER": {"ID": first}}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["total"], json!(1));
    let row = &b["result"][0];
    let keys: Vec<&String> = row.as_object().expect("row").keys().collect();
    assert_eq!(
        keys,
        [
            "ID",
            "TIMESTAMP_X",
            "MODIFIED_BY",
            "DATE_CREATE",
            "CREATED_BY",
            "ACTIVE",
            "DATE_ACTIVE_FROM",
            "DATE_ACTIVE_TO",
            "SORT",
            "NAME",
            "PREVIEW_PICTURE",
            "PREVIEW_TEXT",
            "DETAIL_PICTURE",
            "DETAIL_TEXT",
            "CODE",
            "ENTITY",
            "SECTION",
            "PROPERTY_VALUES"
        ]
    );
    assert_eq!(row["ID"], json!(first.to_string()));
    assert_eq!(row["CREATED_BY"], json!("1"));
    assert_eq!(row["ACTIVE"], json!("Y"));
    assert_eq!(row["SORT"], json!("500"));
    assert_eq!(row["DATE_ACTIVE_FROM"], json!(""));
    assert_eq!(row["SECTION"], Value::Null);
    assert!(row["DATE_CREATE"]
        .as_str()
        .is_some_and(|d| d.ends_with("+03:00")));
    assert_eq!(
        row["PROPERTY_VALUES"],
        json!({"wf_id": "66e412fdc9bd44.36306599", "count": "3"}),
        "only existing properties, matched as created"
    );

    let (s, b) = p
        .call(
            "entity.item.update",
            json!({"ENTITY": "wfm_hist", "ID": first, "PROPERTY_VALUES": {"count": 4}}),
        )
        .await;
    assert_eq!((s, b["result"].clone()), (200, json!(true)));
    let (_, b) = p
        .call(
            "entity.item.get",
            json!({"ENTITY": "wfm_hist", "FILTER": {"ID": first}}),
        )
        .await;
    assert_eq!(
        b["result"][0]["PROPERTY_VALUES"],
        json!({"wf_id": "66e412fdc9bd44.36306599", "count": "4"}),
        "values not sent are kept"
    );

    for i in 2..=60 {
        add_item(&p, &format!("Run {i}"), json!({"count": i})).await;
    }
    let (_, b) = p
        .call("entity.item.get", json!({"ENTITY": "wfm_hist"}))
        .await;
    assert_eq!(
        (b["total"].clone(), b["next"].clone()),
        (json!(60), json!(50))
    );
    assert_eq!(names(&b)[0], "Run 1", "default SORT is ID ASC");
    let (_, b) = p
        .call(
            "entity.item.get",
            json!({"ENTITY": "wfm_hist", "start": 55}),
        )
        .await;
    assert_eq!(b["result"].as_array().map(Vec::len), Some(10), "page 2");
    assert!(b.get("next").is_none());
    let (_, b) = p
        .call(
            "entity.item.get",
            json!({"ENTITY": "wfm_hist", "sort": {"property_count": "desc"}, "filter": {">=PROPERTY_COUNT": 58, "%NAME": "run"}}),
        )
        .await;
    assert_eq!(names(&b), ["Run 60", "Run 59", "Run 58"]);
    let (_, b) = p
        .call(
            "entity.item.get",
            json!({"ENTITY": "wfm_hist", "FILTER": {"><PROPERTY_COUNT": [10, 12], "!NAME": "Run 11"}}),
        )
        .await;
    assert_eq!(names(&b), ["Run 10", "Run 12"]);
    let (_, b) = p
        .call(
            "entity.item.get",
            json!({"ENTITY": "wfm_hist", "FILTER": {"PROPERTY_WF_ID": "66E412FDC9BD44.36306599"}}),
        )
        .await;
    assert_eq!(names(&b), ["Run 1"]);

    let (s, b) = p
        .call(
            "entity.item.delete",
            json!({"ENTITY": "wfm_hist", "ID": first}),
        )
        .await;
    assert_eq!((s, b["result"].clone()), (200, json!(true)));
    let (s, b) = p
        .call(
            "entity.item.delete",
            json!({"ENTITY": "wfm_hist", "ID": first}),
        )
        .await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "ERROR_ITEM_NOT_FOUND", "error_description": "Item not found"})
        )
    );
    let (s, b) = p
        .call(
            "entity.item.update",
            json!({"ENTITY": "wfm_hist", "NAME": "x"}),
        )
        .await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "ERROR_ARGUMENT", "error_description": "Argument 'ID' is null or empty", "argument": "ID"})
        )
    );
    let (s, b) = p
        .call("entity.item.add", json!({"ENTITY": "wfm_hist"}))
        .await;
    assert_eq!(
        (s, b["error"].clone()),
        (400, json!("ERROR_CORE")),
        "an item needs a name"
    );
}

#[tokio::test]
async fn storage_is_shared_by_users_within_their_rights() {
    let p = Portal::start(5).await;
    history(&p).await;
    add_item(&p, "By the admin", json!({})).await;
    p.knobs(json!({"non_admin": true})).await;
    let mut user = Portal {
        running: p.running,
        http: p.http,
        token: String::new(),
    };
    user.token = user.new_token().await;
    let (_, b) = user
        .call("entity.item.get", json!({"ENTITY": "wfm_hist"}))
        .await;
    assert_eq!(names(&b), ["By the admin"], "AU may read");
    let (s, b) = user
        .call(
            "entity.item.add",
            json!({"ENTITY": "wfm_hist", "NAME": "x"}),
        )
        .await;
    assert_eq!(
        (s, b),
        (
            403,
            json!({"error": "ACCESS_DENIED", "error_description": "Access denied!"})
        )
    );
    let (s, b) = user
        .call("entity.delete", json!({"ENTITY": "wfm_hist"}))
        .await;
    assert_eq!((s, b["error"].clone()), (403, json!("ACCESS_DENIED")));
    let (s, _) = user
        .call("entity.add", json!({"ENTITY": "private", "NAME": "Mine"}))
        .await;
    assert_eq!(s, 200, "any user of the app may create a storage");
}

#[tokio::test]
async fn entity_methods_need_the_entity_scope() {
    let p = Portal::start(5).await;
    let (_, b) = p.call("scope", json!({})).await;
    assert_eq!(b["result"], json!(["bizproc", "user_brief", "entity"]));
    p.knobs(json!({"scopes": ["bizproc", "user_brief"]})).await;
    let (_, b) = p.call("scope", json!({})).await;
    assert_eq!(b["result"], json!(["bizproc", "user_brief"]));
    let denied = json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the access token"});
    let (s, b) = p
        .call("entity.add", json!({"ENTITY": "h", "NAME": "h"}))
        .await;
    assert_eq!((s, b), (401, denied.clone()));
    let (s, b) = p
        .call(
            "batch",
            json!({"cmd": {"g": "entity.get?", "t": "server.time"}}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["result"]["result_error"]["g"], denied);
    assert!(b["result"]["result"]["t"].is_string());
    let (s, _) = p.call("bizproc.workflow.instances", json!({})).await;
    assert_eq!(s, 200, "other scopes still work");
    p.knobs(json!({"insufficient_scope_status": 403})).await;
    let (s, _) = p.call("entity.get", json!({})).await;
    assert_eq!(s, 403);
    let (s, b) = p.call("entity.get", json!({"ENTITY": "h"})).await;
    assert_eq!((s, b["error"].clone()), (403, json!("insufficient_scope")));
}

#[tokio::test]
async fn long_values_are_truncated_or_refused_by_knob() {
    let p = Portal::start(5).await;
    history(&p).await;
    p.knobs(json!({"entity_value_max_bytes": 5})).await;
    let id = add_item(&p, "Long", json!({"wf_id": "жжжж"})).await;
    let (_, b) = p
        .call(
            "entity.item.get",
            json!({"ENTITY": "wfm_hist", "FILTER": {"ID": id}}),
        )
        .await;
    assert_eq!(
        b["result"][0]["PROPERTY_VALUES"]["wf_id"],
        json!("жж"),
        "cut to 5 bytes on a character boundary"
    );
    p.knobs(json!({"entity_value_overflow": "error"})).await;
    let (s, b) = p
        .call(
            "entity.item.add",
            json!({"ENTITY": "wfm_hist", "NAME": "Long", "PROPERTY_VALUES": {"wf_id": "abcdef"}}),
        )
        .await;
    assert_eq!(
        (s, b),
        (
            400,
            json!({"error": "ERROR_CORE", "error_description": "Internal error adding entity item. Try adding again."})
        )
    );
    let (s, b) = p
        .call(
            "entity.item.update",
            json!({"ENTITY": "wfm_hist", "ID": id, "PROPERTY_VALUES": {"wf_id": "abcdef"}}),
        )
        .await;
    assert_eq!((s, b["error"].clone()), (400, json!("ERROR_CORE")));
    let (_, b) = p
        .call(
            "entity.item.add",
            json!({"ENTITY": "wfm_hist", "NAME": "Short", "PROPERTY_VALUES": {"wf_id": "abcde"}}),
        )
        .await;
    assert!(b["result"].is_i64(), "a value at the limit is kept: {b}");
}

#[tokio::test]
async fn entity_calls_run_in_a_batch_with_references() {
    let p = Portal::start(5).await;
    history(&p).await;
    let (s, b) = p
        .call(
            "batch",
            json!({"halt": 1, "cmd": {
                "add": "entity.item.add?ENTITY=wfm_hist&NAME=Batched&PROPERTY_VALUES[wf_id]=abc",
                "upd": "entity.item.update?ENTITY=wfm_hist&ID=$result[add]&PROPERTY_VALUES[count]=7",
                "get": "entity.item.get?ENTITY=wfm_hist&FILTER[ID]=$result[add]",
            }}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["result"]["result_error"], json!([]), "{b}");
    let id = b["result"]["result"]["add"].as_i64().expect("integer ID");
    assert_eq!(b["result"]["result"]["upd"], json!(true));
    assert_eq!(b["result"]["result_total"]["get"], json!(1));
    let row = &b["result"]["result"]["get"][0];
    assert_eq!(row["ID"], json!(id.to_string()));
    assert_eq!(
        row["PROPERTY_VALUES"],
        json!({"wf_id": "abc", "count": "7"})
    );

    let dump = p.get("/_emulator/entity").await;
    assert_eq!(dump["entities"][0]["ENTITY"], json!("wfm_hist"));
    assert_eq!(dump["entities"][0]["ACCESS"], json!({"AU": "R", "U1": "X"}));
    assert_eq!(
        dump["entities"][0]["PROPERTIES"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(dump["entities"][0]["ITEMS"][0]["NAME"], json!("Batched"));
    let r = p
        .http
        .delete(p.url("/_emulator/entity"))
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(p.get("/_emulator/entity").await["entities"], json!([]));
}
