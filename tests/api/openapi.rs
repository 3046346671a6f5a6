//! The OpenAPI document describes exactly the API of the route table.

use std::collections::BTreeSet;

use aanbesteding::endpoints::ENDPOINTS;

use crate::both;

both! {
    fn the_openapi_document_lists_every_api_endpoint_and_no_other(app) {
        let doc = app.get("/api/v1/openapi.json", None).json();
        assert!(doc["openapi"].as_str().unwrap_or_default().starts_with("3."));
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in item.as_object().into_iter().flatten().map(|(m, _)| m.to_uppercase()) {
                documented.insert((method, path.clone()));
            }
        }
        let routed: BTreeSet<(String, String)> = ENDPOINTS
            .iter()
            .filter(|e| e.path.starts_with("/api/") || e.path.starts_with("/health"))
            .map(|e| (e.method.to_string(), e.path.to_string()))
            .collect();
        assert_eq!(documented, routed);
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    }
}
