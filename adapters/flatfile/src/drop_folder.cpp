// SPDX-License-Identifier: Apache-2.0
// drop_folder.cpp — drop-folder mode: ready files in name order, each read to its end and then
// moved to processed/ (or failed/, with the error), resumable at a checkpointed byte offset.
#include "drop_folder.h"

#include <algorithm>
#include <filesystem>
#include <fnmatch.h>
#include <system_error>
#include <vector>

#include "file_stream.h"

namespace ferry::flatfile {

namespace {

namespace fs = std::filesystem;

bool is_marker(const DropFolderSpec& folder, const std::string& name) {
    return !folder.done_suffix.empty() && name.size() > folder.done_suffix.size() &&
           name.compare(name.size() - folder.done_suffix.size(), std::string::npos,
                        folder.done_suffix) == 0;
}

Result<std::vector<std::string>> waiting_files(const DropFolderSpec& folder) {
    std::error_code error;
    fs::directory_iterator entries(folder.incoming, error);
    if (error) {
        return Status::not_found("drop folder: cannot list the incoming folder: " +
                                 error.message());
    }
    std::vector<std::string> names;
    for (const auto& entry : entries) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file() || is_marker(folder, name) || name.front() == '.' ||
            ::fnmatch(folder.pattern.c_str(), name.c_str(), 0) != 0) {
            continue;
        }
        // A file is ready once its done marker exists (the sender writes it after the data).
        if (!folder.done_suffix.empty() &&
            !fs::exists(fs::path(folder.incoming) / (name + folder.done_suffix))) {
            continue;
        }
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

Status move_file(const DropFolderSpec& folder, const std::string& name, const std::string& to) {
    std::error_code error;
    fs::create_directories(to, error);
    const fs::path from = fs::path(folder.incoming) / name;
    fs::rename(from, fs::path(to) / name, error);
    if (error) {
        return Status::io("drop folder: cannot move " + name + ": " + error.message());
    }
    if (!folder.done_suffix.empty()) {
        fs::rename(fs::path(folder.incoming) / (name + folder.done_suffix),
                   fs::path(to) / (name + folder.done_suffix), error);
    }
    return {};
}

class DropFolderStream final : public plugin::Stream {
public:
    DropFolderStream(Schema schema, SourceOptions options, nlohmann::json resume)
        : plugin::Stream(std::move(schema))
        , options_(std::move(options))
        , folder_(*options_.drop_folder)
        , resume_(std::move(resume)) {
        if (resume_.is_object()) {
            next_record_ = resume_.value("record", std::int64_t{1});
        }
    }

    Result<bool> fill(BatchBuilder& out) override {
        for (;;) {
            if (!reader_) {
                FERRY_ASSIGN_OR_RETURN(const bool opened, open_next());
                if (!opened) {
                    out.set_checkpoint(
                        nlohmann::json{{"file", ""}, {"offset", 0}, {"record", next_record_}}
                            .dump());
                    return false;
                }
            }
            Result<bool> more = reader_->fill(out, *this);
            if (!more.ok()) {
                if (more.status().code() == StatusCode::Cancelled) {
                    return more.status();
                }
                // The file cannot be read to its end: it goes to failed/, and the error ends
                // this stream so an operator sees it; the next run starts with the next file.
                reader_.reset();
                (void)move_file(folder_, current_, folder_.failed);
                return Status(more.status().code(),
                              current_ + " moved to failed/: " + more.status().message());
            }
            if (*more) {
                out.set_checkpoint(reader_->checkpoint().dump());
                return true;
            }
            // The file ended and its last records went out in an earlier batch, which the host
            // has taken before asking again: only now is it safe to move the file away.
            next_record_ = reader_->next_record_no();
            reader_.reset();
            FERRY_RETURN_IF_ERROR(move_file(folder_, current_, folder_.processed));
            if (!out.empty()) {
                out.set_checkpoint(
                    nlohmann::json{{"file", ""}, {"offset", 0}, {"record", next_record_}}.dump());
                return true;
            }
        }
    }

private:
    Result<bool> open_next() {
        FERRY_ASSIGN_OR_RETURN(const std::vector<std::string> names, waiting_files(folder_));
        if (names.empty()) {
            return false;
        }
        current_ = names.front();
        const std::string path = (fs::path(folder_.incoming) / current_).string();
        nlohmann::json resume;
        if (resume_.is_object() && resume_.value("file", std::string()) == current_) {
            resume = resume_; // continue inside the file the checkpoint names
        }
        resume_ = nullptr;
        FERRY_ASSIGN_OR_RETURN(OpenedFile file, open_file(options_, path, resume));
        if (resume.is_null()) {
            file.next_record_no = next_record_;
        }
        if (!(file.decoder->schema() == schema())) {
            (void)move_file(folder_, current_, folder_.failed);
            return Status::data(current_ + " moved to failed/: its columns differ from the "
                                           "stream's");
        }
        const bool summary_last = options_.summary && !options_.summary->first;
        reader_ = std::make_unique<FileReader>(std::move(file), summary_last);
        if (options_.verify_first) {
            reader_->verify_first(
                [options = options_, path] { return open_file(options, path, nullptr); });
        }
        return true;
    }

    SourceOptions options_;
    DropFolderSpec folder_;
    nlohmann::json resume_;
    std::unique_ptr<FileReader> reader_;
    std::string current_;
    std::int64_t next_record_ = 1;
};

} // namespace

Result<std::string> first_waiting_file(const DropFolderSpec& folder) {
    FERRY_ASSIGN_OR_RETURN(const std::vector<std::string> names, waiting_files(folder));
    if (names.empty()) {
        return Status::not_found("drop folder: no file is waiting");
    }
    return (fs::path(folder.incoming) / names.front()).string();
}

Result<std::unique_ptr<plugin::Stream>> open_drop_folder_stream(const SourceOptions& options,
                                                                const nlohmann::json& resume) {
    if (!resume.is_null() && (!resume.is_object() || !resume.contains("record") ||
                              !resume["record"].is_number_integer())) {
        return Status::invalid_argument("resume: not a flatfile checkpoint");
    }
    // The schema comes from the options; only a header-derived one needs a file to look at.
    Schema schema;
    Result<std::string> sample = first_waiting_file(*options.drop_folder);
    if (sample.ok()) {
        FERRY_ASSIGN_OR_RETURN(OpenedFile file, open_file(options, *sample, nullptr));
        schema = file.decoder->schema();
    } else if (options.kind == FileKind::Delimited && options.fields.empty()) {
        return sample.status();
    } else {
        FERRY_ASSIGN_OR_RETURN(auto decoder, make_decoder(options, options.fields));
        schema = decoder->schema();
    }
    return std::unique_ptr<plugin::Stream>(
        std::make_unique<DropFolderStream>(std::move(schema), options, resume));
}

} // namespace ferry::flatfile
