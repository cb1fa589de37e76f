// SPDX-License-Identifier: Apache-2.0
// snapshot_diff.cpp — a sorted merge of the table (read in key order) with the previous state
// (sorted the same way), so a run holds one rowset and two compact states, never a map of the
// table. The table is ordered by code point (sql_dialect.h) so its order is the one this file
// compares in; a row out of that order stops the run rather than report false deletes.
//
// A row's hash is SHA-256 (first 8 bytes) over the cells as the driver delivered them, each as
// a tag (NULL / value / truncated), a 4-byte length and the bytes. A rejected row keeps its old
// state entry (or none), so it is rejected again on every run until it is fixed.
#include "snapshot_diff.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <openssl/evp.h>

#include "key_order.h"
#include "keyset.h"
#include "rowset_reader.h"
#include "select_stream.h"
#include "snapshot_state.h"
#include "sql_dialect.h"
#include "table_read.h"

namespace ferry::odbc {

namespace {

constexpr int kStateFormat = 1;

// A key part of the state back into its column's type, for a delete record.
Result<Value> key_value(const std::string& text, const ColumnMapping& col) {
    switch (col.kind) {
    case FetchKind::Int64:
        if (const auto value = key_as_int(text)) {
            return Value::int64(*value);
        }
        break;
    case FetchKind::Decimal: {
        Result<Decimal> parsed = Decimal::parse(text);
        if (parsed.ok()) {
            Result<Decimal> fitted = parsed->to_type(col.field.type.precision(),
                                                     col.field.type.scale(), RoundingMode::HalfUp);
            if (fitted.ok()) {
                return Value::decimal(*fitted);
            }
        }
        break;
    }
    case FetchKind::Date: {
        Result<Date> date = Date::parse_iso(text.substr(0, 10));
        if (date.ok()) {
            return Value::date(*date);
        }
        break;
    }
    case FetchKind::Timestamp: {
        Result<Timestamp> stamp = Timestamp::parse_iso(text);
        if (stamp.ok()) {
            return Value::timestamp(*stamp);
        }
        break;
    }
    case FetchKind::Text:
        return Value::text(text);
    case FetchKind::Bool:
    case FetchKind::Bytes:
        break;
    }
    return Status::data("deleted key of \"" + col.field.name + "\" does not convert to " +
                        col.field.type.to_string())
        .with_field(col.field.name);
}

class SnapshotDiffStream : public plugin::Stream {
public:
    SnapshotDiffStream(Schema schema,
                       std::unique_ptr<Connection> conn,
                       std::vector<ColumnMapping> columns,
                       std::vector<std::size_t> key_columns,
                       std::vector<std::string> key_names)
        : plugin::Stream(std::move(schema))
        , conn_(std::move(conn))
        , columns_(std::move(columns))
        , key_columns_(std::move(key_columns))
        , key_names_(std::move(key_names)) {
        for (const std::size_t col : key_columns_) {
            key_kinds_.push_back(columns_[col].kind);
        }
    }

    ~SnapshotDiffStream() override {
        reader_.reset();
        stmt_.reset(); // before the connection
    }

    /// Opens the read: one statement in `order_by`, or with `page_rows` > 0 first the rows with a
    /// NULL key part (rejected wherever they come) and then pages of `page_rows` in key order,
    /// each after the last key of the one before, compared through `key_exprs` as ordered.
    Status start(const TableInfo& table,
                 std::vector<std::string> key_exprs,
                 const std::string& order_by,
                 const nlohmann::json& resume,
                 const SourceConfig& config) {
        if (!resume.is_null()) {
            FERRY_RETURN_IF_ERROR(open_state(resume));
        }
        FERRY_ASSIGN_OR_RETURN(
            reader_, RowsetReader::create(columns_, config.text, config.rowset_bytes, false));
        reader_->set_key_columns(key_columns_);
        table_ = table;
        key_exprs_ = std::move(key_exprs);
        order_by_ = order_by;
        page_rows_ = config.page_rows;
        select_ = "SELECT ";
        const auto& order = reader_->select_order();
        for (std::size_t pos = 0; pos < order.size(); ++pos) {
            select_ +=
                (pos ? ", " : "") + quote_identifier(*conn_, columns_[order[pos]].field.name);
        }
        select_ += " FROM " + qualified_name(*conn_, table);
        if (page_rows_ == 0) {
            return execute(select_ + order_by_, {});
        }
        std::string any_null;
        for (const std::size_t col : key_columns_) {
            any_null += (any_null.empty() ? "" : " OR ") +
                        quote_identifier(*conn_, table_.columns[col].name) + " IS NULL";
        }
        phase_ = Phase::NullKeys;
        return execute(select_ + " WHERE " + any_null, {});
    }

    Result<bool> fill(BatchBuilder& out) override {
        while (!cancelled()) {
            FERRY_RETURN_IF_ERROR(ensure_row());
            const bool have_row = !table_ended_;
            const bool have_old = old_ && !old_->at_end();
            if (!have_row && !have_old) {
                out.set_checkpoint(state_json().dump());
                return false;
            }
            if (have_row && row_key_null_) {
                if (out.full()) {
                    return true;
                }
                FERRY_RETURN_IF_ERROR(
                    out.reject(next_record_no_++,
                               Reject(key_names_[null_key_part_], "not_null",
                                      "NULL in a key column: a snapshot row needs its whole key")));
                row_ready_ = false;
                continue;
            }
            const int cmp =
                !have_old ? 1 : (!have_row ? -1 : compare_keys(old_key_, row_key_, key_kinds_));
            if (cmp < 0) {
                if (out.full()) {
                    return true;
                }
                FERRY_RETURN_IF_ERROR(emit_delete(out));
                FERRY_RETURN_IF_ERROR(advance_old());
                continue;
            }
            const RowHash hash = row_hash();
            if (cmp == 0 && hash == old_->hash()) {
                writer_.append(encode_key(row_key_), hash); // unchanged: nothing delivered
            } else {
                if (out.full()) {
                    return true;
                }
                const bool update = cmp == 0;
                reader_->set_trailing_text(update ? "update" : "insert");
                const std::int64_t rows_before = out.num_rows();
                FERRY_RETURN_IF_ERROR(reader_->convert(*stmt_, row_, next_record_no_++, out));
                if (out.num_rows() > rows_before) {
                    writer_.append(encode_key(row_key_), hash);
                } else if (update) {
                    writer_.append(encode_key(row_key_), old_->hash()); // rejected: try again
                }
            }
            row_ready_ = false;
            if (cmp == 0) {
                FERRY_RETURN_IF_ERROR(advance_old());
            }
        }
        return false;
    }

private:
    Status open_state(const nlohmann::json& resume) {
        const nlohmann::json* state = nullptr;
        if (resume.is_object() && resume.contains("snapshot") && resume["snapshot"].is_object()) {
            state = &resume["snapshot"];
        }
        if (state == nullptr || state->value("format", 0) != kStateFormat ||
            !state->contains("entries") || !(*state)["entries"].is_string() ||
            !state->contains("rows") || !(*state)["rows"].is_number_integer()) {
            return Status::invalid_argument(
                "resume of a snapshot diff takes the checkpoint of its last batch, "
                "{\"snapshot\": {\"format\": 1, \"key\", \"rows\", \"entries\"}}");
        }
        const nlohmann::json key = state->value("key", nlohmann::json::array());
        bool same = key.is_array() && key.size() == key_names_.size();
        for (std::size_t pos = 0; same && pos < key.size(); ++pos) {
            const std::string have = key[pos].is_string() ? key[pos].get<std::string>() : "";
            same =
                have.size() == key_names_[pos].size() &&
                std::equal(have.begin(), have.end(), key_names_[pos].begin(), [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) ==
                           std::tolower(static_cast<unsigned char>(b));
                });
        }
        if (!same) {
            return Status::invalid_argument(
                "snapshot state was taken with key " + key.dump() + ", not the configured key " +
                nlohmann::json(key_names_).dump() + ": start from no state");
        }
        FERRY_ASSIGN_OR_RETURN(SnapshotReader reader,
                               SnapshotReader::open((*state)["entries"].get<std::string>(),
                                                    (*state)["rows"].get<std::int64_t>()));
        old_.emplace(std::move(reader));
        return decode_old();
    }

    Status decode_old() {
        if (!old_->at_end()) {
            FERRY_ASSIGN_OR_RETURN(old_key_, decode_key(old_->key()));
            if (old_key_.size() != key_columns_.size()) {
                return Status::invalid_argument("snapshot state holds a key of " +
                                                std::to_string(old_key_.size()) + " parts, not " +
                                                std::to_string(key_columns_.size()));
            }
        }
        return {};
    }

    Status advance_old() {
        FERRY_RETURN_IF_ERROR(old_->next());
        return decode_old();
    }

    // Positions on the next table row and reads its key, unless one is waiting.
    Status ensure_row() {
        if (row_ready_ || table_ended_) {
            return {};
        }
        if (fetched_ && row_ + 1 < reader_->rows_in_rowset()) {
            ++row_;
        } else {
            bool more = false;
            for (;;) {
                if (!statement_ended_) {
                    FERRY_ASSIGN_OR_RETURN(more, reader_->fetch(*stmt_));
                }
                fetched_ = true;
                if (more) {
                    break;
                }
                FERRY_ASSIGN_OR_RETURN(const bool next, next_page());
                if (!next) {
                    table_ended_ = true;
                    return {};
                }
            }
            row_ = 0;
        }
        row_ready_ = true;
        ++rows_in_statement_;
        // Long columns are read now, for the hash; convert() then reuses them.
        FERRY_RETURN_IF_ERROR(reader_->load_long(*stmt_, next_record_no_));
        std::vector<std::string>& key = next_key_;
        key.clear();
        row_key_null_ = false;
        for (std::size_t pos = 0; pos < key_columns_.size(); ++pos) {
            std::optional<std::string> text = reader_->cell_text(row_, key_columns_[pos]);
            if (!text) {
                row_key_null_ = true;
                null_key_part_ = pos;
                return {}; // row_key_ stays the last whole key read
            }
            key.push_back(std::move(*text));
        }
        if (have_previous_ && compare_keys(row_key_, key, key_kinds_) >= 0) {
            return Status::data("snapshot diff of the table: the database returned keys out of " +
                                std::string("code-point order (its collation differs); ") +
                                "configure a key of numbers or of ASCII text")
                .with_field(key_names_.front());
        }
        have_previous_ = true;
        row_key_.swap(key);
        return {};
    }

    /// Prepares and runs one statement of the read on a fresh statement handle.
    Status execute(const std::string& sql, std::vector<Parameter> params) {
        stmt_.reset();
        FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(*conn_));
        stmt_.emplace(std::move(stmt));
        params_ = std::move(params);
        rows_in_statement_ = 0;
        fetched_ = false;
        FERRY_ASSIGN_OR_RETURN(const bool has_rows,
                               prepare_and_execute(*stmt_, sql, params_, *reader_));
        statement_ended_ = !has_rows;
        return {};
    }

    /// After a statement ends: the next page, if the read pages and the table may go on.
    Result<bool> next_page() {
        if (page_rows_ == 0 || (phase_ == Phase::Pages && rows_in_statement_ < page_rows_)) {
            return false; // one statement, or a short page: the table has ended
        }
        std::string where;
        for (const std::size_t col : key_columns_) {
            where += (where.empty() ? " WHERE " : " AND ") +
                     quote_identifier(*conn_, table_.columns[col].name) + " IS NOT NULL";
        }
        std::vector<Parameter> params;
        if (phase_ == Phase::Pages && have_previous_) {
            FERRY_ASSIGN_OR_RETURN(std::string after,
                                   keyset_predicate(*conn_, table_, key_columns_,
                                                    nlohmann::json(row_key_), KeyCompare::After,
                                                    params, &key_exprs_));
            where += " AND " + after;
        }
        phase_ = Phase::Pages;
        const RowLimit limit = row_limit(*conn_, page_rows_);
        std::string sql = select_ + where + order_by_ + limit.at_end;
        if (!limit.after_select.empty()) {
            sql.insert(std::string("SELECT ").size(), limit.after_select);
        }
        FERRY_RETURN_IF_ERROR(execute(sql, std::move(params)));
        return true;
    }

    RowHash row_hash() {
        canonical_.clear();
        for (std::size_t col = 0; col < columns_.size(); ++col) {
            std::string_view bytes;
            const auto state = reader_->raw_cell(row_, col, bytes);
            canonical_.push_back(static_cast<char>(state));
            const auto length = static_cast<std::uint32_t>(bytes.size());
            for (int shift = 0; shift < 32; shift += 8) {
                canonical_.push_back(static_cast<char>((length >> shift) & 0xffu));
            }
            canonical_.append(bytes);
        }
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int digest_len = 0;
        EVP_Digest(canonical_.data(), canonical_.size(), digest, &digest_len, EVP_sha256(),
                   nullptr);
        RowHash hash{};
        std::copy_n(digest, hash.size(), hash.begin());
        return hash;
    }

    Status emit_delete(BatchBuilder& out) {
        FERRY_RETURN_IF_ERROR(out.begin_record(next_record_no_++));
        for (std::size_t col = 0; col < columns_.size(); ++col) {
            const auto key_pos = std::find(key_columns_.begin(), key_columns_.end(), col);
            if (key_pos == key_columns_.end()) {
                out.column(col).append_null();
                continue;
            }
            Result<Value> value = key_value(
                old_key_[static_cast<std::size_t>(key_pos - key_columns_.begin())], columns_[col]);
            if (!value.ok()) {
                out.reject_record(
                    Reject(columns_[col].field.name, "key", value.status().message()));
                return {};
            }
            FERRY_RETURN_IF_ERROR(out.column(col).append_value(*value));
        }
        out.column(columns_.size()).append_text_unchecked("delete");
        return out.commit_record();
    }

    nlohmann::json state_json() const {
        return {{"snapshot",
                 {{"format", kStateFormat},
                  {"key", key_names_},
                  {"rows", writer_.entries()},
                  {"entries", writer_.base64()}}}};
    }

    std::unique_ptr<Connection> conn_;
    std::vector<ColumnMapping> columns_;
    std::vector<std::size_t> key_columns_;
    std::vector<std::string> key_names_;
    std::vector<FetchKind> key_kinds_;
    enum class Phase { Whole, NullKeys, Pages };

    std::optional<Statement> stmt_;
    std::vector<Parameter> params_; ///< bound to stmt_: they live as long as it runs
    std::unique_ptr<RowsetReader> reader_;
    TableInfo table_;
    std::vector<std::string> key_exprs_;
    std::string select_;
    std::string order_by_;
    std::int64_t page_rows_ = 0;
    std::int64_t rows_in_statement_ = 0;
    bool statement_ended_ = false;
    Phase phase_ = Phase::Whole;
    std::optional<SnapshotReader> old_;
    std::vector<std::string> old_key_;
    SnapshotWriter writer_;
    std::size_t row_ = 0;
    bool fetched_ = false;
    bool row_ready_ = false;
    bool table_ended_ = false;
    bool row_key_null_ = false;
    std::size_t null_key_part_ = 0;
    std::vector<std::string> row_key_;  ///< the last whole key read (the merge's current row)
    std::vector<std::string> next_key_; ///< reused while a row's key is read
    bool have_previous_ = false;
    std::int64_t next_record_no_ = 1;
    std::string canonical_;
};

} // namespace

Result<std::unique_ptr<plugin::Stream>>
open_snapshot_diff(std::unique_ptr<Connection> conn,
                   const TableInfo& table,
                   const std::vector<ColumnMapping>& columns,
                   const SnapshotSpec& spec,
                   const plugin::StreamRequest& request,
                   const SourceConfig& config) {
    const std::vector<std::string>& key_names = spec.key.empty() ? table.primary_key : spec.key;
    if (key_names.empty()) {
        return Status::invalid_argument("snapshot diff of \"" + table.name +
                                        "\" needs a \"key\" (the table has no primary key)");
    }
    FERRY_ASSIGN_OR_RETURN(std::vector<std::size_t> key_columns,
                           key_indices(table, key_names, "snapshot key of \"" + table.name + "\""));
    std::vector<Field> fields;
    std::vector<std::string> names;
    for (const std::size_t col : key_columns) {
        if (columns[col].kind == FetchKind::Bool || columns[col].kind == FetchKind::Bytes ||
            columns[col].long_data) {
            return Status::invalid_argument("snapshot key column \"" + table.columns[col].name +
                                            "\" must be a number, a date, a timestamp or text")
                .with_field(table.columns[col].name);
        }
        names.push_back(table.columns[col].name);
    }
    for (const ColumnMapping& col : columns) {
        if (col.field.name == kChangeField) {
            return Status::invalid_argument("\"" + table.name + "\" has a column named " +
                                            kChangeField + ", which a snapshot diff adds");
        }
        // A delete carries only its key: every other field may be NULL in a diff.
        fields.emplace_back(col.field.name, col.field.type, true);
    }
    fields.emplace_back(kChangeField, DataType::utf8(), false);
    std::string order_by;
    std::vector<std::string> key_exprs;
    for (const std::size_t col : key_columns) {
        key_exprs.push_back(binary_order(*conn, quote_identifier(*conn, table.columns[col].name),
                                         columns[col].kind));
        order_by += (order_by.empty() ? " ORDER BY " : ", ") + key_exprs.back();
    }
    auto stream = std::make_unique<SnapshotDiffStream>(Schema(std::move(fields)), std::move(conn),
                                                       columns, key_columns, names);
    FERRY_RETURN_IF_ERROR(
        stream->start(table, std::move(key_exprs), order_by, request.resume, config));
    return std::unique_ptr<plugin::Stream>(std::move(stream));
}

} // namespace ferry::odbc
