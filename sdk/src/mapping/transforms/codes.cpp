// SPDX-License-Identifier: Apache-2.0
// codes.cpp — code lookups through a mapping's crosswalks, and code-table membership.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "builtin.h"
#include "support.h"

namespace ferry::transforms {

namespace {

enum class Unmapped { Reject, Null, Keep, Default };

Result<BoundTransform> make_code(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "code", {TypeKind::Utf8}, "text"));
    const std::string name = setup.args.at("crosswalk").get<std::string>();
    const Crosswalk* crosswalk = setup.crosswalk ? setup.crosswalk(name) : nullptr;
    if (crosswalk == nullptr) {
        return bad_argument("code", "crosswalk",
                            "no crosswalk \"" + name + "\" in the mapping's \"crosswalks\"");
    }
    const std::string policy = arg_or<std::string>(setup.args, "unmapped", "reject");
    Unmapped unmapped = Unmapped::Reject;
    if (policy == "null") {
        unmapped = Unmapped::Null;
    } else if (policy == "keep") {
        unmapped = Unmapped::Keep;
    } else if (policy == "default") {
        unmapped = Unmapped::Default;
    }
    std::string fallback = arg_or<std::string>(setup.args, "default", "");
    if (unmapped == Unmapped::Default) {
        if (!setup.args.contains("default")) {
            return bad_argument("code", "default", "unmapped \"default\" needs a default code");
        }
        const std::vector<std::string>* codes =
            setup.code_table ? setup.code_table(crosswalk->to_table) : nullptr;
        if (codes != nullptr && std::find(codes->begin(), codes->end(), fallback) == codes->end()) {
            return bad_argument("code", "default",
                                "\"" + fallback + "\" is not in code table " + crosswalk->to_table);
        }
    } else if (setup.args.contains("default")) {
        return bad_argument("code", "default", "a default needs \"unmapped\": \"default\"");
    }
    // A hash map over string_views into the crosswalk, which the mapping keeps alive.
    auto lookup = std::make_shared<std::unordered_map<std::string_view, std::string_view>>();
    for (const auto& [from, to] : crosswalk->map) {
        lookup->emplace(from, to);
    }
    const bool trim = arg_or<bool>(setup.args, "trim", true);
    std::string reason = "code is not in crosswalk " + crosswalk->name;
    auto transform = make_cell_transform(
        [lookup, unmapped, fallback, trim, reason](const Column& in, std::int64_t row,
                                                   Column& out) -> std::optional<CellFailure> {
            std::string_view code = in.text(row);
            if (trim) {
                while (!code.empty() && code.back() == ' ') {
                    code.remove_suffix(1); // CHAR(n) columns pad codes with spaces
                }
                while (!code.empty() && code.front() == ' ') {
                    code.remove_prefix(1);
                }
            }
            if (const auto it = lookup->find(code); it != lookup->end()) {
                out.append_text(it->second);
                return std::nullopt;
            }
            switch (unmapped) {
            case Unmapped::Reject:
                return CellFailure{"code", reason};
            case Unmapped::Null:
                out.append_null();
                return std::nullopt;
            case Unmapped::Keep:
                out.append_text(code);
                return std::nullopt;
            case Unmapped::Default:
                out.append_text(fallback);
                return std::nullopt;
            }
            return std::nullopt;
        });
    return BoundTransform{std::move(transform), DataType::utf8()};
}

Result<BoundTransform> make_in_code_table(const TransformSetup& setup) {
    FERRY_RETURN_IF_ERROR(require_inputs(setup, "in_code_table", {TypeKind::Utf8}, "text"));
    const std::string table = setup.args.at("table").get<std::string>();
    const std::vector<std::string>* codes = setup.code_table ? setup.code_table(table) : nullptr;
    if (codes == nullptr) {
        return bad_argument("in_code_table", "table",
                            "no code table \"" + table + "\" in the catalog");
    }
    // Views into the catalog's table, which outlives every mapping compiled against it.
    auto known =
        std::make_shared<std::unordered_set<std::string_view>>(codes->begin(), codes->end());
    std::string reason = "code is not in code table " + table;
    auto transform =
        make_cell_transform([known, reason](const Column& in, std::int64_t row,
                                            Column& out) -> std::optional<CellFailure> {
            if (!known->contains(in.text(row))) {
                return CellFailure{"in_code_table", reason};
            }
            out.append_from(in, row);
            return std::nullopt;
        });
    return BoundTransform{std::move(transform), DataType::utf8()};
}

} // namespace

void register_codes(TransformRegistry& registry) {
    must_add(registry,
             {"code", "looks a source code up in one of the mapping's crosswalks",
              R"json({"type":"object","required":["crosswalk"],"additionalProperties":false,
                  "properties":{
                    "crosswalk":{"type":"string","description":"name under the mapping's crosswalks"},
                    "unmapped":{"enum":["reject","null","keep","default"],
                                "description":"what a code the crosswalk lacks becomes (default reject)"},
                    "default":{"type":"string","description":"the code for unmapped values"},
                    "trim":{"type":"boolean","description":"ignore leading/trailing spaces (default true)"}}})json",
              1, 1, Protection::None, make_code});
    must_add(registry, {"in_code_table",
                        "passes a code through if the catalog code table has it, else rejects",
                        R"json({"type":"object","required":["table"],"additionalProperties":false,
                  "properties":{"table":{"type":"string","description":"catalog code table id"}}})json",
                        1, 1, Protection::None, make_in_code_table});
}

} // namespace ferry::transforms
