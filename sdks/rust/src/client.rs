//! The client, its builder, and the request builders every method returns.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{self, Stream, StreamExt, TryStreamExt};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::models::Page;
use crate::ops::Op;

/// A client of one Gatehouse server's backend API, authenticated with a secret key.
///
/// Cheap to clone: clones share one connection pool. Create it inside the async runtime that
/// uses it.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// `<base_url>/backend/v1`, without a trailing slash.
    api_url: String,
    secret_key: String,
}

impl std::fmt::Debug for Client {
    // The secret key stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("api_url", &self.inner.api_url).finish_non_exhaustive()
    }
}

impl Client {
    /// A client of the server at `base_url` (its public URL, e.g. `https://auth.example.com`),
    /// calling `/backend/v1` with `secret_key` (`sk_live_…` or `sk_test_…`). Timeout 30 s.
    ///
    /// # Panics
    /// When the TLS backend cannot be initialised; [`Client::builder`] returns that as an error.
    pub fn new(base_url: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self::builder(base_url, secret_key).build().expect("the HTTP client could not be built")
    }

    /// A [`ClientBuilder`] to set the timeout or the user agent.
    pub fn builder(base_url: impl Into<String>, secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            secret_key: secret_key.into(),
            timeout: Duration::from_secs(30),
            user_agent: concat!("gatehouse-rust/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }

    /// Organizations, their members, roles, invitations and workspaces.
    pub fn organizations(&self) -> crate::organizations::Organizations<'_> {
        crate::organizations::Organizations { client: self }
    }

    /// Workspaces, their members and roles.
    pub fn workspaces(&self) -> crate::workspaces::Workspaces<'_> {
        crate::workspaces::Workspaces { client: self }
    }

    /// Users, their emails, phones, sessions, passkeys, second factors and memberships.
    pub fn users(&self) -> crate::users::Users<'_> {
        crate::users::Users { client: self }
    }

    pub(crate) fn call<T>(&self, op: Op<T>, params: &[&str]) -> Call<T> {
        Call {
            client: self.clone(),
            path: op.fill(params),
            method: op.method,
            query: Vec::new(),
            body: None,
            _response: PhantomData,
        }
    }

    async fn execute<T: DeserializeOwned>(&self, method: Method, path: &str, query: &[(&'static str, String)], body: Option<&Value>) -> Result<T> {
        let mut request = self
            .inner
            .http
            .request(method, format!("{}{}", self.inner.api_url, path))
            .bearer_auth(&self.inner.secret_key)
            .header(reqwest::header::ACCEPT, "application/json");
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(Error::transport)?;
        let status = response.status().as_u16();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.map_err(Error::transport)?;
        if (200..300).contains(&status) {
            serde_json::from_slice(&bytes).map_err(|e| Error::decode(e, status, request_id))
        } else {
            Err(Error::from_response(status, request_id, &bytes))
        }
    }
}

/// Settings of a [`Client`]; from [`Client::builder`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    secret_key: String,
    timeout: Duration,
    user_agent: String,
}

impl ClientBuilder {
    /// The whole-request timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `gatehouse-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The client.
    pub fn build(self) -> Result<Client> {
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .user_agent(self.user_agent)
            .build()
            .map_err(Error::transport)?;
        let api_url = format!("{}/backend/v1", self.base_url.trim_end_matches('/'));
        Ok(Client { inner: Arc::new(Inner { http, api_url, secret_key: self.secret_key }) })
    }
}

/// One call of the API, ready to go: finish it with `.send().await?`.
#[must_use = "a call does nothing until `.send().await`"]
pub struct Call<T> {
    client: Client,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    _response: PhantomData<fn() -> T>,
}

impl<T> Clone for Call<T> {
    fn clone(&self) -> Self {
        Call {
            client: self.client.clone(),
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            _response: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call").field("method", &self.method).field("path", &self.path).field("query", &self.query).finish()
    }
}

impl<T: DeserializeOwned> Call<T> {
    /// Send the request and decode the answer.
    pub async fn send(self) -> Result<T> {
        self.client.execute(self.method, &self.path, &self.query, self.body.as_ref()).await
    }
}

impl<T> Call<T> {
    pub(crate) fn body(mut self, body: &impl Serialize) -> Self {
        // Request types are plain data: serializing them cannot fail.
        self.body = Some(serde_json::to_value(body).expect("request bodies serialize"));
        self
    }

    /// Set one field of the JSON body (a builder option such as `send_email`).
    pub(crate) fn body_field(mut self, key: &str, value: impl Into<Value>) -> Self {
        let body = self.body.get_or_insert_with(|| Value::Object(Default::default()));
        if let Value::Object(map) = body {
            map.insert(key.to_owned(), value.into());
        }
        self
    }

    /// Set (or replace) one query parameter.
    pub(crate) fn query(mut self, key: &'static str, value: impl ToString) -> Self {
        self.query.retain(|(k, _)| *k != key);
        self.query.push((key, value.to_string()));
        self
    }
}

/// A list call whose answer is one page (`{ data, hasMore, nextCursor }`): `.send()` gets that
/// page, `.stream()` every item of every page from here on.
#[must_use = "a call does nothing until `.send().await` or `.stream()`"]
pub struct List<T> {
    pub(crate) call: Call<Page<T>>,
}

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        List { call: self.call.clone() }
    }
}

impl<T> std::fmt::Debug for List<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.call.fmt(f)
    }
}

impl<T: DeserializeOwned + Send + 'static> List<T> {
    pub(crate) fn new(call: Call<Page<T>>) -> Self {
        List { call }
    }

    /// Items per page, 1–100 (server default 20).
    pub fn limit(mut self, limit: u32) -> Self {
        self.call = self.call.query("limit", limit);
        self
    }

    /// Start after this cursor (a page's `next_cursor`).
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.call = self.call.query("cursor", cursor.into());
        self
    }

    pub(crate) fn param(mut self, key: &'static str, value: impl ToString) -> Self {
        self.call = self.call.query(key, value);
        self
    }

    /// Fetch one page.
    pub async fn send(self) -> Result<Page<T>> {
        self.call.send().await
    }

    /// Every item, fetching the next page only when the previous one is used up. The stream
    /// ends after the last page; an error ends it after being yielded.
    pub fn stream(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        stream::try_unfold(Some(self), |next| async move {
            let list = match next {
                Some(list) => list,
                None => return Ok(None),
            };
            let page = list.clone().send().await?;
            let following = match (page.has_more, page.next_cursor) {
                (true, Some(cursor)) => Some(list.cursor(cursor)),
                _ => None,
            };
            Ok(Some((stream::iter(page.data.into_iter().map(Ok)), following)))
        })
        .try_flatten()
        .boxed()
    }
}

/// Gives a list builder of one resource its paging methods, forwarding to the [`List`] inside.
macro_rules! paginated {
    ($name:ident, $item:ty) => {
        impl $name {
            /// Items per page, 1–100 (server default 20).
            pub fn limit(mut self, limit: u32) -> Self {
                self.0 = self.0.limit(limit);
                self
            }

            /// Start after this cursor (a page's `next_cursor`).
            pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
                self.0 = self.0.cursor(cursor);
                self
            }

            /// Fetch one page.
            pub async fn send(self) -> $crate::Result<$crate::models::Page<$item>> {
                self.0.send().await
            }

            /// Every item of every page from here on, fetched lazily.
            pub fn stream(self) -> impl futures::Stream<Item = $crate::Result<$item>> + Send + 'static {
                self.0.stream()
            }
        }
    };
}
pub(crate) use paginated;
