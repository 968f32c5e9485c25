//! `bizproc.workflow.instances` and its alias `bizproc.workflow.instance.list`
//! with the semantics of the server source (fact sheet §1.2–§1.4).

use serde_json::{json, Map, Value};

use super::{filter, Ctx, RestError, Success};
use crate::php;
use crate::store::{format_date, Condition, Field, Query, Workflow};
use crate::Shared;

/// `IRestService::LIST_LIMIT` (§1.2).
pub const PAGE: usize = 50;

/// The SELECT default when nothing valid is asked for.
const DEFAULT_SELECT: [Field; 3] = [Field::Id, Field::Modified, Field::OwnedUntil];

/// The `start` offset: `intval`, removed by the REST server before the
/// method sees the params (§1.2). Negative offsets reach SQL as `LIMIT -1, 50`
/// and fail (§2.2).
pub fn start_offset(params: &Map<String, Value>) -> Result<usize, RestError> {
    let start = params.get("start").map_or(0, php::intval);
    usize::try_from(start).map_err(|_| RestError::sql_error())
}

/// SELECT: values upper-cased, unknown names dropped, default when empty.
/// Rows carry the fields in the server's field-map order, not SELECT order.
pub fn select(upper: &Map<String, Value>) -> Vec<Field> {
    let asked = filter::select_fields(upper, Field::from_name);
    let chosen: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|f| asked.contains(f))
        .collect();
    if chosen.is_empty() {
        DEFAULT_SELECT.to_vec()
    } else {
        chosen
    }
}

/// ORDER: keys and directions upper-cased, anything but DESC is ASC, unknown
/// fields dropped, `MODIFIED DESC` when nothing valid is left.
pub fn order(upper: &Map<String, Value>) -> Vec<(Field, bool)> {
    let keys = filter::order_keys(upper, Field::from_name);
    if keys.is_empty() {
        vec![(Field::Modified, true)]
    } else {
        keys
    }
}

/// The whole query from the request parameters.
pub fn query(upper: &Map<String, Value>, ctx: &Ctx) -> Query {
    let conditions = filter::parse(
        upper.get("FILTER"),
        &ctx.knobs,
        &ctx.offset,
        ctx.now_ms / 1000,
        |name| {
            let field = Field::from_name(name)?;
            // STARTED is not in the date-conversion list (§1.3, §9.2): knob.
            if field == Field::Started
                && ctx.knobs.started_filter == crate::config::StartedFilter::Ignore
            {
                return None;
            }
            Some((field, field.kind()))
        },
    )
    .into_iter()
    .map(|(field, op, operand)| Condition { field, op, operand })
    .collect();
    Query {
        conditions,
        order: order(upper),
    }
}

/// One row as the server renders it: every value a string, dates with the
/// server's offset, a NULL lock as `null`.
pub fn render(w: &Workflow, fields: &[Field], ctx: &Ctx) -> Value {
    let mut row = Map::new();
    for &f in fields {
        let v = match f {
            Field::Id => json!(w.id),
            Field::Modified => json!(format_date(w.modified, &ctx.offset)),
            Field::OwnedUntil => w
                .owned_until
                .map_or(Value::Null, |t| json!(format_date(t, &ctx.offset))),
            Field::ModuleId => json!(w.module_id),
            Field::Entity => json!(w.entity),
            Field::DocumentId => json!(w.document_id),
            Field::Started => json!(format_date(w.started, &ctx.offset)),
            Field::StartedBy => json!(w.started_by.to_string()),
            Field::TemplateId => json!(w.template_id.to_string()),
        };
        row.insert(f.name().to_owned(), v);
    }
    Value::Object(row)
}

/// The method: admin only (§1.1).
pub fn instances(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    if !ctx.is_admin {
        return Err(RestError::access_denied());
    }
    let offset = start_offset(params)?;
    let upper = php::upper_keys(params);
    let fields = select(&upper);
    let q = query(&upper, ctx);
    let (rows, total) = {
        let store = state.store();
        let page = store.query(&q, offset, PAGE);
        let rows: Vec<Value> = page.rows.iter().map(|w| render(w, &fields, ctx)).collect();
        (rows, page.total)
    };
    // Knob `finish_after_list`: these workflows end right after this answer
    // was computed (inside a batch: after the whole batch), "between
    // listing and acting". A test's own (oracle) listing does not trigger it.
    if !ctx.oracle {
        if ctx.batch_key.is_some() {
            state.listed_in_batch();
        } else {
            state.finish_listed();
        }
    }
    let next = offset + rows.len();
    Ok(Success {
        result: Value::Array(rows),
        total: Some(total),
        next: (next < total).then_some(next),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn upper(v: Value) -> Map<String, Value> {
        php::upper_keys(v.as_object().expect("object"))
    }

    #[test]
    fn select_upper_cases_drops_unknown_and_defaults() {
        assert_eq!(
            select(&upper(json!({"select":["template_id","ID","BOGUS"]}))),
            vec![Field::Id, Field::TemplateId]
        );
        assert_eq!(
            select(&upper(json!({"select":["BOGUS"]}))),
            DEFAULT_SELECT.to_vec()
        );
        assert_eq!(select(&upper(json!({}))), DEFAULT_SELECT.to_vec());
        // parse_str gives a map with "0", "1" keys; it reads the same.
        assert_eq!(
            select(&upper(json!({"SELECT":{"0":"STARTED","1":"id"}}))),
            vec![Field::Id, Field::Started]
        );
    }

    #[test]
    fn order_keeps_key_order_and_treats_anything_but_desc_as_asc() {
        assert_eq!(
            order(&upper(
                json!({"order":{"started":"desc","ID":"whatever","X":"DESC"}})
            )),
            vec![(Field::Started, true), (Field::Id, false)]
        );
        assert_eq!(
            order(&upper(json!({"order":{"X":"asc"}}))),
            vec![(Field::Modified, true)]
        );
    }

    #[test]
    fn start_is_intval_and_negative_is_an_sql_error() {
        let p = |v: Value| v.as_object().expect("object").clone();
        assert_eq!(start_offset(&p(json!({"start":"100"}))), Ok(100));
        assert_eq!(start_offset(&p(json!({"start":"abc"}))), Ok(0));
        assert_eq!(start_offset(&p(json!({}))), Ok(0));
        assert_eq!(
            start_offset(&p(json!({"start":-1}))),
            Err(RestError::sql_error())
        );
    }
}
