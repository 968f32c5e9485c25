//! The FILTER grammar of the bizproc list methods (fact sheet §1.3): each key
//! is split by `/^([^a-zA-Z]*)(.*)/` into an operator and a field; the entry
//! is kept only if the operator is allowed and the field is an exact key of
//! the field map. Everything else is dropped without an error.

use chrono::FixedOffset;
use serde_json::{Map, Value};

use crate::config::Knobs;
use crate::php;
use crate::store::{strtotime, Kind, Op, Operand};

/// Splits a filter key into its operator prefix and field name.
pub fn split_key(key: &str) -> (&str, &str) {
    let i = key
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(key.len());
    key.split_at(i)
}

/// The operators the server source allows (§1.3); `=` and `!=` only when the
/// portal follows the 2026-08-19 docs (knob `accept_eq_operators`).
pub fn operator(prefix: &str, knobs: &Knobs) -> Option<Op> {
    match prefix {
        "" => Some(Op::Eq),
        "!" => Some(Op::Ne),
        "<" => Some(Op::Lt),
        "<=" => Some(Op::Le),
        ">" => Some(Op::Gt),
        ">=" => Some(Op::Ge),
        "=" if knobs.accept_eq_operators => Some(Op::Eq),
        "!=" if knobs.accept_eq_operators => Some(Op::Ne),
        _ => None,
    }
}

fn scalars(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(_) | Value::Object(_) => php::entries(value)
            .into_iter()
            .map(|(_, v)| v.clone())
            .collect(),
        v => vec![v.clone()],
    }
}

/// Converts a filter value for a column of `kind`. Dates go through
/// `CRestUtil::unConvertDateTime` (§1.3): `strtotime`, where a failure makes
/// the condition unusable; an empty value stands for NULL.
pub fn operand(kind: Kind, value: &Value, offset: &FixedOffset, now_s: i64) -> Operand {
    let values = scalars(value);
    match kind {
        Kind::Int => Operand::Int(values.iter().map(php::intval).collect()),
        Kind::Text => {
            let texts: Option<Vec<String>> = values.iter().map(php::to_php_string).collect();
            texts.map_or(Operand::Unusable, Operand::Text)
        }
        Kind::Date => {
            let mut out = Vec::with_capacity(values.len());
            for v in &values {
                let text = php::to_php_string(v).unwrap_or_default();
                if text.is_empty() {
                    out.push(None);
                } else if let Some(ts) = strtotime(&text, offset, now_s) {
                    out.push(Some(ts));
                } else {
                    return Operand::Unusable;
                }
            }
            Operand::Date(out)
        }
    }
}

/// Parses a FILTER into conditions. `resolve` maps an exact field name to
/// the caller's field and its column kind, or `None` to drop the entry.
pub fn parse<F>(
    filter: Option<&Value>,
    knobs: &Knobs,
    offset: &FixedOffset,
    now_s: i64,
    resolve: impl Fn(&str) -> Option<(F, Kind)>,
) -> Vec<(F, Op, Operand)> {
    let Some(filter) = filter else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in php::entries(filter) {
        let (prefix, name) = split_key(&key);
        let Some(op) = operator(prefix, knobs) else {
            continue;
        };
        // Source: field names are case-sensitive; docs: any case (§1.3, §9.1).
        let name = if knobs.case_insensitive_filter_fields {
            name.to_uppercase()
        } else {
            name.to_owned()
        };
        if knobs.ignore_filter_fields.contains(&name) {
            continue;
        }
        let Some((field, kind)) = resolve(&name) else {
            continue;
        };
        out.push((field, op, operand(kind, value, offset, now_s)));
    }
    out
}

/// SELECT of a bizproc list method: the values upper-cased, names the
/// method does not know dropped (§1.2). The caller applies its default.
pub fn select_fields<F>(upper: &Map<String, Value>, resolve: impl Fn(&str) -> Option<F>) -> Vec<F> {
    upper
        .get("SELECT")
        .map(php::entries)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(_, v)| php::to_php_string(v))
        .filter_map(|name| resolve(&name.to_uppercase()))
        .collect()
}

/// ORDER of a bizproc list method: keys upper-cased and applied in order,
/// any direction but `DESC` is ascending (`true` = DESC), unknown fields
/// dropped (§1.2). The caller applies its default.
pub fn order_keys<F>(
    upper: &Map<String, Value>,
    resolve: impl Fn(&str) -> Option<F>,
) -> Vec<(F, bool)> {
    upper
        .get("ORDER")
        .map(php::entries)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| {
            let field = resolve(&k.to_uppercase())?;
            let desc = php::to_php_string(v).is_some_and(|d| d.eq_ignore_ascii_case("DESC"));
            Some((field, desc))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).expect("utc")
    }

    fn names(filter: Value, knobs: &Knobs) -> Vec<(String, Op)> {
        parse(Some(&filter), knobs, &utc(), 0, |n| {
            ["ID", "STARTED_BY", "MODIFIED"]
                .contains(&n)
                .then(|| (n.to_owned(), Kind::Text))
        })
        .into_iter()
        .map(|(f, op, _)| (f, op))
        .collect()
    }

    #[test]
    fn splits_operator_and_field_like_the_server_regex() {
        assert_eq!(split_key(">=STARTED_BY"), (">=", "STARTED_BY"));
        assert_eq!(split_key("ID"), ("", "ID"));
        assert_eq!(split_key("!=ID"), ("!=", "ID"));
        assert_eq!(split_key("%%"), ("%%", ""));
    }

    #[test]
    fn silently_drops_unknown_operators_fields_and_lower_case_names() {
        let knobs = Knobs::default();
        let got = names(
            json!({">STARTED_BY":0,"=ID":"x","!=ID":"y","%ID":"z","@ID":[1],"id":"q","NOPE":1,"<=MODIFIED":"2025-01-01"}),
            &knobs,
        );
        assert_eq!(
            got,
            vec![("STARTED_BY".into(), Op::Gt), ("MODIFIED".into(), Op::Le)]
        );
    }

    #[test]
    fn docs_generation_accepts_eq_operators_and_any_case() {
        let knobs = Knobs {
            accept_eq_operators: true,
            case_insensitive_filter_fields: true,
            ..Knobs::default()
        };
        let got = names(json!({"=ID":"x","!=id":"y"}), &knobs);
        assert_eq!(got, vec![("ID".into(), Op::Eq), ("ID".into(), Op::Ne)]);
    }

    #[test]
    fn a_portal_can_be_told_to_ignore_a_field() {
        let knobs = Knobs {
            ignore_filter_fields: vec!["STARTED_BY".into()],
            ..Knobs::default()
        };
        assert!(names(json!({">STARTED_BY":0}), &knobs).is_empty());
    }

    #[test]
    fn converts_values_by_column_kind() {
        let o = utc();
        assert_eq!(
            operand(Kind::Int, &json!("57"), &o, 0),
            Operand::Int(vec![57])
        );
        assert_eq!(
            operand(Kind::Int, &json!(["1", 2]), &o, 0),
            Operand::Int(vec![1, 2])
        );
        assert_eq!(
            operand(Kind::Text, &json!(12), &o, 0),
            Operand::Text(vec!["12".into()])
        );
        assert_eq!(
            operand(Kind::Date, &json!("2025-01-01T00:00:00Z"), &o, 0),
            Operand::Date(vec![Some(1_735_689_600)])
        );
        assert_eq!(
            operand(Kind::Date, &json!(""), &o, 0),
            Operand::Date(vec![None])
        );
        assert_eq!(
            operand(Kind::Date, &json!("soon"), &o, 0),
            Operand::Unusable
        );
        assert_eq!(operand(Kind::Text, &json!([[1]]), &o, 0), Operand::Unusable);
    }
}
