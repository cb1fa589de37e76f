// SPDX-License-Identifier: Apache-2.0
// flatfile_test_support.h — temp dirs, GBK/EBCDIC fixtures through iconv, and reading a whole
// stream of the statically linked flat-file adapter into rows and rejects.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/plugin_library.h"
#include "ferry/result.h"

namespace ferry::flatfile::testing {

/// A fresh directory under the system temp dir, removed with everything in it at scope end.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

    /// Writes `bytes` to `name` inside the directory; returns the full path.
    std::string write(const std::string& name, const std::string& bytes) const;

private:
    std::filesystem::path path_;
};

/// `utf8` encoded into `code_page` by iconv (ferry::CodePage); fails the test if it cannot.
std::string encode(const std::string& code_page, const std::string& utf8);

struct RejectRow {
    std::int64_t record_no = 0;
    std::string field, rule, reason, location;
};

/// Everything a stream delivered: cells rendered as text ("NULL" for null), per row.
struct StreamContents {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::int64_t> record_nos;
    std::vector<RejectRow> rejects;
    std::vector<std::string> checkpoints; ///< after each batch
    std::int64_t read = 0;
    Status end_status; ///< OK, or the error that ended the stream

    /// The cell of `column` in `row`.
    const std::string& cell(std::size_t row, const std::string& column) const;
};

/// The adapter linked in statically.
PluginLibrary flatfile_plugin();

/// Creates a source with `options` and reads `dataset` to its end (bounded).
Result<StreamContents> read_all(const nlohmann::json& options,
                                const nlohmann::json& request = nullptr,
                                const std::string& dataset = "records");

} // namespace ferry::flatfile::testing
