// SPDX-License-Identifier: Apache-2.0
// ferry/catalog.h — the shared catalog every mapping targets: entities, their fields with
// sensitivity and sharing attributes, and the code tables (files under schemas/; docs/catalog.md).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/data_type.h"
#include "ferry/result.h"
#include "ferry/text.h" // closest_name, for "did you mean" hints about catalog names

namespace ferry {

/// 共享属性 of a field or dataset, from least to most restricted.
enum class Sharing {
    Unconditional = 1, ///< 无条件共享
    Conditional = 2,   ///< 有条件共享: only under a grant naming purpose and expiry
    None = 3,          ///< 不予共享: never leaves
};

/// "unconditional" / "conditional" / "none".
const char* sharing_name(Sharing sharing) noexcept;
Result<Sharing> parse_sharing(std::string_view name);

/// Local four-level grading of public data (一级 … 四级); L2 and above are sensitive: their values
/// never appear in rejects or logs and they carry a default masking.
enum class Sensitivity { L1 = 1, L2 = 2, L3 = 3, L4 = 4 };

const char* sensitivity_name(Sensitivity level) noexcept;
Result<Sensitivity> parse_sensitivity(std::string_view name);

struct CatalogField {
    std::string name;
    std::string title;
    std::string title_zh;
    std::string description;
    std::string type_name; ///< as the catalog writes it: "string", "decimal(14,2)", "code", …
    DataType type = DataType::utf8();
    std::string code_table; ///< for type "code"
    std::string data_element;
    bool required = false;
    Sensitivity sensitivity = Sensitivity::L1;
    Sharing sharing = Sharing::Unconditional;
    nlohmann::json masking; ///< the default masking step, or null

    bool sensitive() const noexcept { return sensitivity >= Sensitivity::L2; }
};

struct CatalogEntity {
    std::string name;
    std::string title;
    std::string title_zh;
    std::vector<std::string> key;
    std::vector<CatalogField> fields;
    nlohmann::json schema; ///< the JSON Schema of one record (as in the file)
    std::filesystem::path file;

    const CatalogField* field(std::string_view field_name) const noexcept;
};

struct CodeTable {
    std::string id;
    std::string title;
    std::string title_zh;
    std::string standard;
    std::vector<std::string> codes;           ///< in file order
    std::map<std::string, std::string> names; ///< code -> Chinese name

    bool contains(std::string_view code) const { return names.contains(std::string(code)); }
};

/// The loaded catalog. Immutable; share it between threads freely.
class Catalog {
public:
    /// Loads `<dir>/catalog/*.schema.json` and `<dir>/codes/*.json`. InvalidArgument naming the
    /// file and the problem for anything malformed (the catalog is a contract: no partial loads).
    static Result<Catalog> load(const std::filesystem::path& dir);

    /// Where the catalog is when nobody says: $FERRY_CATALOG_DIR, else the installed
    /// share/ferry/schemas, else the source tree's schemas/ (for builds that are not installed).
    static std::filesystem::path default_dir();

    const std::filesystem::path& dir() const noexcept { return dir_; }

    const CatalogEntity* entity(std::string_view name) const noexcept;
    const CodeTable* code_table(std::string_view id) const noexcept;
    std::vector<std::string> entity_names() const;

private:
    std::filesystem::path dir_;
    std::map<std::string, CatalogEntity, std::less<>> entities_;
    std::map<std::string, CodeTable, std::less<>> code_tables_;
};

} // namespace ferry
