//! What the crate expects of the server, for the contract test (`tests/contract.rs`) that
//! compares it with the server's `/openapi.json`. Not part of the API: it may change any time.

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::Value;

/// The JSON shape a response type decodes.
#[derive(Debug, Clone)]
pub enum Shape {
    /// A struct: its Rust name and the JSON field names it reads (after `rename_all`).
    Object { name: &'static str, fields: &'static [&'static str] },
    /// An enum of strings: its Rust name and the strings it accepts.
    Enum { name: &'static str, variants: &'static [&'static str] },
    /// `{ data, hasMore, nextCursor }` of items of this shape.
    Page(Box<Shape>),
    /// `{ data }` of items of this shape.
    Listing(Box<Shape>),
}

/// A response type the contract test knows the shape of.
pub trait Described {
    fn shape() -> Shape;
}

impl Shape {
    /// The shape serde's derive gives `T`, read from the field or variant list it passes to the
    /// deserializer: the derive is the single source, so the test cannot disagree with it.
    pub fn of<T: DeserializeOwned>() -> Shape {
        let mut seen = None;
        let _ = T::deserialize(Tracer { seen: &mut seen });
        seen.expect("a struct or an enum")
    }
}

/// One row of the operation table.
#[derive(Debug)]
pub struct OperationInfo {
    /// The OpenAPI `operationId`.
    pub id: &'static str,
    pub method: &'static str,
    /// Below `/backend/v1`.
    pub path: &'static str,
    pub response: Shape,
    /// Decodes a JSON value as the response type (to try examples made from the schema).
    pub decode: fn(Value) -> Result<(), String>,
}

/// Every operation the crate calls.
pub fn operations() -> Vec<OperationInfo> {
    crate::ops::all()
}

/// Every model with the place of its schema in the OpenAPI document: a component name, or
/// `Component/property` for an object the document nests inline.
pub fn models() -> Vec<(&'static str, Shape, fn(Value) -> Result<(), String>)> {
    crate::models::checked()
}

struct Tracer<'a> {
    seen: &'a mut Option<Shape>,
}

impl<'de, 'a> Deserializer<'de> for Tracer<'a> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only structs and enums are traced"))
    }

    fn deserialize_struct<V: Visitor<'de>>(self, name: &'static str, fields: &'static [&'static str], _: V) -> Result<V::Value, Self::Error> {
        *self.seen = Some(Shape::Object { name, fields });
        Err(de::Error::custom("traced"))
    }

    fn deserialize_enum<V: Visitor<'de>>(self, name: &'static str, variants: &'static [&'static str], _: V) -> Result<V::Value, Self::Error> {
        *self.seen = Some(Shape::Enum { name, variants });
        Err(de::Error::custom("traced"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}
