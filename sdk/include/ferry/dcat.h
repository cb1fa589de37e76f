// SPDX-License-Identifier: Apache-2.0
// ferry/dcat.h — published datasets' catalog metadata (政务信息资源目录编制指南) exported as
// DCAT-AP 3 JSON-LD, so a European-style catalog harvester can read the bridge (docs/catalog.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ferry {

/// One dataset the bridge serves.
struct DcatDataset {
    std::string id;          ///< dataset id in the bridge, e.g. "persons"
    nlohmann::json metadata; ///< a schemas/dataset-metadata.schema.json document
    /// Array of {"name", "title", "title_zh", "type", "sharing", "sensitivity"}: the 信息项,
    /// one per published target field. Items whose sharing is "none" (or missing) are left out.
    nlohmann::json info_items;
};

/// The catalog as a whole.
struct DcatCatalog {
    std::string base_url;           ///< e.g. "http://127.0.0.1:8080"; every URL is built from it
    std::string title, description; ///< catalog title/description
    nlohmann::json publisher;       ///< {"name": ..., "code": ...} (USCC or 组织机构代码)
};

/// The EU frequency IRI for an 更新周期 code ("1" 实时 → …/frequency/CONT, "2" → DAILY, "3" →
/// WEEKLY, "4" → MONTHLY, "5" → QUARTERLY, "6" → ANNUAL); empty for any other value.
std::string dcat_frequency_iri(std::string_view update_cycle);

/// The catalog as DCAT-AP 3 JSON-LD: one dcat:Catalog node with its datasets, their NDJSON
/// distributions and the bridge's dcat:DataService nested inside, under an @context with the
/// dcat, dct, foaf, adms, xsd, skos, vcard and ferry (编制指南 extensions) prefixes.
/// The properties DCAT-AP 3 makes mandatory are always present: a missing title falls back to the
/// dataset id, a missing description to the title, a missing provider to the catalog's publisher
/// (itself falling back to the first dataset's provider). Pure function of its inputs; the
/// metadata is assumed to have passed dataset-metadata.schema.json, and members of the wrong type
/// are skipped rather than reported.
nlohmann::json to_dcat_jsonld(const DcatCatalog& catalog, const std::vector<DcatDataset>& datasets);

} // namespace ferry
