//! The crate against the server's own OpenAPI document: every operation the crate calls exists
//! with its method and path, every model reads exactly the fields its schema has, and examples
//! made from each schema (nullable fields null, then filled) decode into the model.

mod common;

use std::collections::BTreeSet;

use gatehouse::contract::{self, Shape};
use serde_json::{json, Value};

async fn openapi() -> Value {
    let url = format!("{}/openapi.json", common::server().url);
    reqwest::get(url).await.unwrap().error_for_status().unwrap().json().await.unwrap()
}

/// Follows `$ref`s and strips a `null` alternative, so what is left is the value's own schema.
fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    loop {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.strip_prefix("#/components/schemas/").expect("local refs");
            schema = &doc["components"]["schemas"][name];
            continue;
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(options) = schema.get(key).and_then(Value::as_array) {
                let others: Vec<&Value> = options.iter().filter(|o| o.get("type") != Some(&json!("null"))).collect();
                if others.len() == 1 {
                    schema = others[0];
                    break;
                }
            }
        }
        if schema.get("$ref").is_none() {
            return schema;
        }
    }
}

fn schema_at<'a>(doc: &'a Value, pointer: &str) -> &'a Value {
    if let Some(op_id) = pointer.strip_prefix("op:") {
        return response_schema(doc, find_operation(doc, op_id).1);
    }
    let mut parts = pointer.split('/');
    let mut schema = &doc["components"]["schemas"][parts.next().unwrap()];
    assert!(!schema.is_null(), "no schema {pointer} in the OpenAPI document");
    for property in parts {
        schema = &resolve(doc, schema)["properties"][property];
        assert!(!schema.is_null(), "no schema {pointer} in the OpenAPI document");
    }
    resolve(doc, schema)
}

/// (method, operation object) of an operationId.
fn find_operation<'a>(doc: &'a Value, id: &str) -> (String, &'a Value) {
    for (_, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.get("operationId").and_then(Value::as_str) == Some(id) {
                return (method.to_uppercase(), operation);
            }
        }
    }
    panic!("no operation {id} in the OpenAPI document");
}

fn response_schema<'a>(doc: &'a Value, operation: &'a Value) -> &'a Value {
    resolve(doc, &operation["responses"]["200"]["content"]["application/json"]["schema"])
}

fn property_names(schema: &Value) -> BTreeSet<String> {
    schema["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default()
}

/// Compares a model's shape with a schema; returns the mismatches.
fn compare(doc: &Value, shape: &Shape, schema: &Value, at: &str, problems: &mut Vec<String>) {
    match shape {
        Shape::Object { name, fields } => {
            let ours: BTreeSet<String> = fields.iter().map(|f| f.to_string()).collect();
            let theirs = property_names(schema);
            for missing in theirs.difference(&ours) {
                problems.push(format!("{at}: {name} does not read `{missing}`, which the server sends"));
            }
            for extra in ours.difference(&theirs) {
                problems.push(format!("{at}: {name} reads `{extra}`, which the schema does not have"));
            }
        }
        Shape::Enum { name, variants } => {
            let ours: BTreeSet<String> = variants.iter().map(|v| v.to_string()).collect();
            let theirs: BTreeSet<String> = schema["enum"].as_array().map(|e| e.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default();
            if ours != theirs {
                problems.push(format!("{at}: {name} accepts {ours:?}, the schema says {theirs:?}"));
            }
        }
        Shape::Page(item) | Shape::Listing(item) => {
            let expected: BTreeSet<String> = match shape {
                Shape::Page(_) => ["data", "hasMore", "nextCursor"].iter().map(|s| s.to_string()).collect(),
                _ => ["data"].iter().map(|s| s.to_string()).collect(),
            };
            let theirs = property_names(schema);
            if theirs != expected {
                problems.push(format!("{at}: a list envelope of {expected:?}, the schema has {theirs:?}"));
                return;
            }
            compare(doc, item, resolve(doc, &schema["properties"]["data"]["items"]), at, problems);
        }
    }
}

/// A value the schema allows; `nulls` picks null for every nullable field, or a value.
fn example(doc: &Value, schema: &Value, nulls: bool) -> Value {
    let nullable = schema.get("anyOf").and_then(Value::as_array).map_or(false, |o| o.iter().any(|v| v["type"] == "null"))
        || schema["type"].as_array().map_or(false, |t| t.iter().any(|v| v == "null"));
    if nullable && nulls {
        return Value::Null;
    }
    let schema = resolve(doc, schema);
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values[0].clone();
    }
    let kind = match &schema["type"] {
        Value::Array(types) => types.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    match kind.as_str() {
        Some("object") => {
            let mut object = serde_json::Map::new();
            if let Some(properties) = schema["properties"].as_object() {
                for (name, property) in properties {
                    object.insert(name.clone(), example(doc, property, nulls));
                }
            }
            Value::Object(object)
        }
        Some("array") => json!([example(doc, &schema["items"], nulls)]),
        Some("string") => schema.get("example").cloned().unwrap_or(json!("text")),
        Some("integer") | Some("number") => json!(schema.get("minimum").and_then(Value::as_i64).unwrap_or(0).max(0)),
        Some("boolean") => json!(true),
        _ => json!({}),
    }
}

#[tokio::test]
async fn every_operation_is_in_the_openapi_document_with_its_method_path_and_response() {
    let doc = openapi().await;
    let mut problems = Vec::new();
    for op in contract::operations() {
        let path = format!("/backend/v1{}", op.path);
        let (method, operation) = find_operation(&doc, op.id);
        if doc["paths"][&path][method.to_lowercase()] != *operation || method != op.method {
            problems.push(format!("{}: the crate calls {} {}, the server has it as {method} elsewhere", op.id, op.method, path));
            continue;
        }
        let schema = response_schema(&doc, operation);
        compare(&doc, &op.response, schema, op.id, &mut problems);
        for nulls in [true, false] {
            if let Err(err) = (op.decode)(example(&doc, schema, nulls)) {
                problems.push(format!("{}: an example of its response (nullables {}) does not decode: {err}", op.id, if nulls { "null" } else { "filled" }));
            }
        }
    }
    assert!(problems.is_empty(), "drift from the server:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn every_model_reads_exactly_its_schema() {
    let doc = openapi().await;
    let mut problems = Vec::new();
    for (pointer, shape, decode) in contract::models() {
        let schema = schema_at(&doc, pointer);
        compare(&doc, &shape, schema, pointer, &mut problems);
        for nulls in [true, false] {
            if let Err(err) = decode(example(&doc, schema, nulls)) {
                problems.push(format!("{pointer}: an example (nullables {}) does not decode: {err}", if nulls { "null" } else { "filled" }));
            }
        }
    }
    assert!(problems.is_empty(), "drift from the server:\n{}", problems.join("\n"));
}

#[test]
fn the_table_names_every_operation_once() {
    let ops = contract::operations();
    let ids: BTreeSet<_> = ops.iter().map(|op| op.id).collect();
    assert_eq!(ids.len(), ops.len());
}
