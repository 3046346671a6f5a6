//! Sjablonen (templates): handlebars in strict mode, embedded in the binary.
//!
//! Pages and the HTML part of e-mails escape HTML; the subject and text part of e-mails are
//! rendered by a second registry that does not, since they are not HTML.

use std::sync::LazyLock;

use handlebars::{Handlebars, handlebars_helper};
use rust_embed::RustEmbed;
use serde_json::Value as Json;

#[derive(RustEmbed)]
#[folder = "templates"]
struct Files;

handlebars_helper!(value_of: |form: Json, name: str| {
    match form.get("values").and_then(|m| m.get(name)) {
        None | Some(Json::Null) => Json::String(String::new()),
        Some(v) => v.clone(),
    }
});
handlebars_helper!(error_of: |form: Json, name: str| {
    form.get("errors").and_then(|m| m.get(name)).cloned().unwrap_or(Json::Null)
});
handlebars_helper!(eq: |a: Json, b: Json| a == b);
handlebars_helper!(plus1: |n: u64| n + 1);
// Names and ids built from a prefix and an id: `(concat "answer_" id)`.
handlebars_helper!(concat: |a: Json, b: Json| format!("{}{}", text(a), text(b)));
handlebars_helper!(concat_member: |field: str, index: u64| format!("members-{index}-{field}"));
handlebars_helper!(member_label: |label: str, number: u64| format!("{label} (partij {number})"));

fn text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

static TEMPLATES: LazyLock<Result<Handlebars<'static>, String>> = LazyLock::new(|| registry(true));
static PLAIN: LazyLock<Result<Handlebars<'static>, String>> = LazyLock::new(|| registry(false));

fn registry(html: bool) -> Result<Handlebars<'static>, String> {
    let mut h = Handlebars::new();
    if !html {
        h.register_escape_fn(handlebars::no_escape);
    }
    h.set_strict_mode(true);
    h.register_helper("v", Box::new(value_of));
    h.register_helper("e", Box::new(error_of));
    h.register_helper("eq", Box::new(eq));
    h.register_helper("plus1", Box::new(plus1));
    h.register_helper("concat", Box::new(concat));
    h.register_helper("concat_member", Box::new(concat_member));
    h.register_helper("member_label", Box::new(member_label));
    h.register_embed_templates_with_extension::<Files>(".hbs").map_err(|e| e.to_string())?;
    Ok(h)
}

/// Renders one template; a failure is our bug and is reported as such.
pub fn render(name: &str, data: &Json) -> Result<String, crate::errors::Error> {
    let h = TEMPLATES.as_ref().map_err(|e| crate::errors::Error::Internal(format!("sjablonen: {e}")))?;
    h.render(name, data).map_err(|e| crate::errors::Error::Internal(format!("sjabloon {name}: {e}")))
}

/// Renders plain text (an e-mail's subject or text part): nothing is HTML-escaped.
pub fn render_text(name: &str, data: &Json) -> Result<String, crate::errors::Error> {
    let h = PLAIN.as_ref().map_err(|e| crate::errors::Error::Internal(format!("sjablonen: {e}")))?;
    h.render(name, data).map_err(|e| crate::errors::Error::Internal(format!("sjabloon {name}: {e}")))
}

/// Every template name, for the test that renders each page.
pub fn names() -> Vec<String> {
    Files::iter().filter_map(|f| f.strip_suffix(".hbs").map(str::to_owned)).collect()
}
