// SPDX-License-Identifier: Apache-2.0
// soap_options.h — the adapter's options (JSON Schema below) parsed into a configuration: the
// imported service, and per dataset its operation, parameters, paging, lookup and record layout.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/data_type.h"
#include "ferry/date.h"

#include "request_builder.h"
#include "response_parser.h"
#include "soap_client.h"

namespace ferry::soap {

enum class PagingKind { None, Page, Token, DateWindow };

struct PagingConfig {
    PagingKind kind = PagingKind::None;
    std::string page_param;
    std::string size_param;
    std::int64_t size = 0; ///< records per page; a shorter page is the last one
    std::int64_t first = 1;
    std::int64_t max_pages = 1'000'000; ///< a bound on every paging loop
    /// Page requests in flight once the number of pages is known (page paging only).
    int concurrency = 4;
    std::string token_param;
    std::vector<QName> token_path; ///< token element below the Body
    std::string token_field;       ///< or: the last record's value of this field
    std::string from_param;
    std::string to_param;
    Date start = Date::from_days(0);
    Date end = Date::from_days(0);
    std::int32_t days = 1;
};

struct LookupConfig {
    const Operation* operation = nullptr;
    std::string param; ///< the operation's parameter that takes the key
    std::string key;   ///< the key field's name in the dataset
    ResponseLayout layout;
};

struct DatasetConfig {
    std::string name;
    std::string title;
    const Operation* operation = nullptr;
    ParameterValues params;
    std::optional<std::string> body_template;
    PagingConfig paging;
    std::string total_path_text; ///< as written in the options, for the verdict's sentence
    std::optional<LookupConfig> lookup;
    ResponseLayout layout;
    Schema schema;
};

struct SourceConfig {
    ClientOptions client;
    int breaker_threshold = 5;
    std::chrono::milliseconds breaker_cool_down{30'000};
    std::string wsdl;
    Service service;
    std::vector<DatasetConfig> datasets;
    /// Operations with a record list that no dataset uses (listed by discover as candidates).
    std::vector<const Operation*> candidates;

    const DatasetConfig* find(std::string_view name) const;
};

/// Parses already schema-valid options and imports the WSDL (a local file, or a URL on the
/// endpoint's own host, fetched once).
Result<std::unique_ptr<SourceConfig>> load_config(const nlohmann::json& options);

/// Builds a dataset over `operation` with its WSDL-derived layout and any type overrides.
Result<DatasetConfig> default_dataset(const Operation& operation, const std::string& name);

} // namespace ferry::soap
