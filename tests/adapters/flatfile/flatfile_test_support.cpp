// SPDX-License-Identifier: Apache-2.0
// flatfile_test_support.cpp — see flatfile_test_support.h.
#include "flatfile_test_support.h"

#include <fstream>
#include <random>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "ferry/batch.h"
#include "ferry/codepage.h"

extern "C" FerryStatus
FerryPluginFlatfileInit(std::uint32_t, const FerryHostApi*, FerryPluginApi*, FerryError*);

namespace ferry::flatfile::testing {

TempDir::TempDir() {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() /
            ("ferry-flatfile-" + std::to_string(seed()) + "-" + std::to_string(seed()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& name, const std::string& bytes) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << bytes;
    return file.string();
}

std::string encode(const std::string& code_page, const std::string& utf8) {
    auto page = CodePage::open(code_page);
    REQUIRE(page.ok());
    std::string out;
    const auto failure = page->encode(utf8, out);
    INFO("encoding into " << code_page << ": " << (failure ? failure->reason : ""));
    REQUIRE_FALSE(failure);
    return out;
}

const std::string& StreamContents::cell(std::size_t row, const std::string& column) const {
    for (std::size_t idx = 0; idx < columns.size(); ++idx) {
        if (columns[idx] == column) {
            return rows.at(row).at(idx);
        }
    }
    throw std::out_of_range("no column " + column);
}

PluginLibrary flatfile_plugin() {
    auto plugin = PluginLibrary::from_init(&FerryPluginFlatfileInit, "flatfile (static)");
    REQUIRE(plugin.ok());
    return std::move(*plugin);
}

Result<StreamContents>
read_all(const nlohmann::json& options, const nlohmann::json& request, const std::string& dataset) {
    const PluginLibrary plugin = flatfile_plugin();
    FERRY_ASSIGN_OR_RETURN(SourceHandle source, plugin.create_source(options));
    FERRY_ASSIGN_OR_RETURN(BatchReader reader, source.open_stream(dataset, request));
    StreamContents contents;
    for (int guard = 0; guard < 100000; ++guard) {
        auto next = reader.next();
        if (!next.ok()) {
            contents.end_status = next.status();
            return contents;
        }
        if (!next->has_value()) {
            return contents;
        }
        const Batch& batch = **next;
        if (contents.columns.empty()) {
            for (const auto& field : batch.schema().fields()) {
                contents.columns.push_back(field.name);
            }
        }
        contents.read += batch.records_read();
        for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
            std::vector<std::string> cells;
            for (std::size_t col = 0; col < batch.schema().size(); ++col) {
                const ColumnView view = batch.column(col);
                cells.push_back(view.is_null(row) ? std::string("NULL")
                                                  : view.value(row).to_string());
            }
            contents.rows.push_back(std::move(cells));
            contents.record_nos.push_back(batch.record_no(row));
        }
        for (const FerryReject& reject : batch.rejects()) {
            contents.rejects.push_back(
                {reject.record_no, reject.field ? reject.field : "", reject.rule ? reject.rule : "",
                 reject.reason ? reject.reason : "", reject.location ? reject.location : ""});
        }
        if (auto point = batch.checkpoint()) {
            contents.checkpoints.emplace_back(*point);
        }
    }
    return Status::internal("stream did not end");
}

} // namespace ferry::flatfile::testing
