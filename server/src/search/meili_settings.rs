//! Whether a Meilisearch index has our settings already (`Meili::configure` sends only what
//! differs: Meilisearch re-indexes every document on a settings change).

use meilisearch_sdk::settings::{PrefixSearchSettings, Settings};

use super::meili::{block_on, describe, Ureq};

/// Whether `index` has `settings` already, with prefix search and facet search off.
pub(super) fn settings_hold(
    index: &meilisearch_sdk::indexes::Index<Ureq>,
    settings: &Settings,
) -> Result<bool, String> {
    let current = block_on(index.get_settings()).map_err(describe)?;
    if block_on(index.get_prefix_search()).map_err(describe)? != PrefixSearchSettings::Disabled
        || block_on(index.get_facet_search()).map_err(describe)?
    {
        return Ok(false);
    }
    let (Ok(current), Ok(wanted)) = (
        serde_json::to_value(current),
        serde_json::to_value(settings),
    ) else {
        return Ok(false);
    };
    Ok(holds(&as_compared(current), &as_compared(wanted)))
}

/// Whether `current` has every value `wanted` sets (a `null` in `wanted` sets nothing).
fn holds(current: &serde_json::Value, wanted: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (current, wanted) {
        (_, Value::Null) => true,
        (Value::Object(current), Value::Object(wanted)) => wanted
            .iter()
            .all(|(key, value)| current.get(key).is_some_and(|c| holds(c, value))),
        _ => current == wanted,
    }
}

/// Settings with the lists whose order means nothing sorted (filterable and sortable
/// attributes, each synonym's words), so that Meilisearch's order and ours compare equal.
fn as_compared(mut settings: serde_json::Value) -> serde_json::Value {
    fn sort(list: &mut serde_json::Value) {
        if let Some(items) = list.as_array_mut() {
            items.sort_by_key(serde_json::Value::to_string);
        }
    }
    for key in ["filterableAttributes", "sortableAttributes"] {
        if let Some(list) = settings.get_mut(key) {
            sort(list);
        }
    }
    if let Some(synonyms) = settings
        .get_mut("synonyms")
        .and_then(serde_json::Value::as_object_mut)
    {
        synonyms.values_mut().for_each(sort);
    }
    settings
}
