//! The `/api/v1` routing table as data. Domains declare their API routes through `ApiRoutes`,
//! which registers each with actix-web and also records its method and path, so the list of
//! routes can be compared with the OpenAPI document (a route missing from the document, or a
//! documented path nothing serves, fails a test) without a hand-kept list.

use actix_web::http::Method;
use actix_web::{web, FromRequest, Handler, Responder, Route};

pub struct ApiRoutes<'a> {
    cfg: Option<&'a mut web::ServiceConfig>,
    table: Vec<(Method, String)>,
}

impl<'a> ApiRoutes<'a> {
    /// Registers into `cfg` (the `/api/v1` scope).
    pub fn new(cfg: &'a mut web::ServiceConfig) -> ApiRoutes<'a> {
        ApiRoutes {
            cfg: Some(cfg),
            table: vec![],
        }
    }

    fn add(&mut self, method: Method, path: &str, route: impl FnOnce() -> Route) -> &mut Self {
        if let Some(cfg) = self.cfg.as_deref_mut() {
            cfg.route(path, route());
        }
        self.table.push((method, path.to_string()));
        self
    }

    pub fn get<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::GET, path, || web::get().to(handler))
    }

    pub fn post<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::POST, path, || web::post().to(handler))
    }

    pub fn put<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::PUT, path, || web::put().to(handler))
    }

    pub fn patch<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::PATCH, path, || web::patch().to(handler))
    }

    pub fn delete<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::DELETE, path, || web::delete().to(handler))
    }
}

/// Every `/api/v1` route of every domain as (method, path under `/api/v1`).
pub fn api_route_table() -> Vec<(Method, String)> {
    let mut routes = ApiRoutes {
        cfg: None,
        table: vec![],
    };
    for domain in crate::DOMAINS {
        for api in domain.api {
            api(&mut routes);
        }
    }
    routes.table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The routing table and the OpenAPI document name the same operations.
    #[test]
    fn every_api_route_is_documented_and_every_documented_path_is_served() {
        let doc = serde_json::to_value(crate::http::openapi::build()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        let table = api_route_table();
        assert!(table.len() > 40, "{} routes", table.len());
        let mut missing = vec![];
        for (method, path) in &table {
            let documented = paths
                .get(&format!("/api/v1{path}"))
                .and_then(|item| item.get(method.as_str().to_lowercase()));
            if documented.is_none() {
                missing.push(format!("{method} {path}"));
            }
        }
        assert!(
            missing.is_empty(),
            "routes missing from the OpenAPI document: {missing:?}"
        );
        let mut unserved = vec![];
        for (path, item) in paths {
            for method in item.as_object().unwrap().keys() {
                let served = table.iter().any(|(m, p)| {
                    m.as_str().eq_ignore_ascii_case(method) && format!("/api/v1{p}") == *path
                });
                if !served {
                    unserved.push(format!("{method} {path}"));
                }
            }
        }
        assert!(
            unserved.is_empty(),
            "documented but not routed: {unserved:?}"
        );
    }
}
