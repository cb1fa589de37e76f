// SPDX-License-Identifier: Apache-2.0
// flatfile_source.cpp — the flat-file adapter: options, discovery and streams.
#include <ferry/plugin/define_plugin.h>
#include <ferry/plugin/source.h>

#include "drop_folder.h"
#include "file_stream.h"
#include "options.h"

namespace ferry::flatfile {

namespace {

const char* format_name(FileKind kind) {
    switch (kind) {
    case FileKind::Delimited:
        return "delimited";
    case FileKind::FixedWidth:
        return "fixed";
    case FileKind::Copybook:
        return "copybook";
    }
    return "";
}

class FlatFileSource : public plugin::Source {
public:
    static constexpr const char* kName = "flatfile";
    static constexpr const char* kVersion = "1.0.0";
    static constexpr const char* kDescription =
        "Delimited, fixed-width and COBOL copybook files (GBK, GB18030, EBCDIC), streamed";
    static inline const char* const kOptionsSchema = flatfile::kOptionsSchema;

    static Result<std::unique_ptr<FlatFileSource>> create(const nlohmann::json& options) {
        auto source = std::make_unique<FlatFileSource>();
        FERRY_ASSIGN_OR_RETURN(source->options_, parse_options(options));
        // Fail at configuration time on a code page this system cannot convert.
        FERRY_ASSIGN_OR_RETURN(CodePage page, CodePage::open(source->options_.encoding));
        (void)page;
        if (source->options_.kind == FileKind::Copybook) {
            FERRY_ASSIGN_OR_RETURN(auto decoder, make_copybook_decoder(source->options_));
            (void)decoder;
        }
        return source;
    }

    Result<nlohmann::json> discover() override {
        FERRY_ASSIGN_OR_RETURN(const std::string path, sample_path());
        FERRY_ASSIGN_OR_RETURN(OpenedFile file, open_file(options_, path, nullptr));
        nlohmann::json fields = plugin::describe_fields(file.decoder->schema());
        const nlohmann::json source_types = file.decoder->source_types();
        for (std::size_t idx = 0; idx < fields.size() && idx < source_types.size(); ++idx) {
            if (source_types[idx].is_string() && !source_types[idx].get<std::string>().empty()) {
                fields[idx]["source_type"] = source_types[idx];
            }
        }
        nlohmann::json extensions{{"format", format_name(options_.kind)},
                                  {"encoding", options_.encoding}};
        if (file.decoder->record_length() > 0) {
            extensions["record_length"] = file.decoder->record_length();
        }
        return nlohmann::json{{"datasets",
                               {{{"name", options_.dataset},
                                 {"fields", std::move(fields)},
                                 {"capabilities", {{"lookup", false}, {"resume", true}}},
                                 {"extensions", std::move(extensions)}}}}};
    }

    Result<std::unique_ptr<plugin::Stream>>
    open_stream(const plugin::StreamRequest& request) override {
        if (request.dataset != options_.dataset) {
            return Status::not_found("no dataset \"" + request.dataset + "\" (this source has \"" +
                                     options_.dataset + "\")");
        }
        if (!request.lookup.is_null()) {
            return Status::not_implemented("a flat file has no key lookup; read the stream");
        }
        if (options_.drop_folder) {
            return open_drop_folder_stream(options_, request.resume);
        }
        FERRY_ASSIGN_OR_RETURN(OpenedFile file, open_file(options_, options_.path, request.resume));
        Schema schema = file.decoder->schema();
        const bool summary_last = options_.summary && !options_.summary->first;
        auto reader = std::make_shared<FileReader>(std::move(file), summary_last);
        if (options_.verify_first) {
            reader->verify_first(
                [options = options_] { return open_file(options, options.path, nullptr); });
        }
        auto stream = plugin::make_stream(std::move(schema),
                                          [reader](BatchBuilder& out, const plugin::Stream& self) {
                                              return reader->fill(out, self);
                                          });
        reader->report_to(stream->accounting());
        return stream;
    }

private:
    Result<std::string> sample_path() const {
        if (!options_.drop_folder) {
            return options_.path;
        }
        return first_waiting_file(*options_.drop_folder);
    }

    SourceOptions options_;
};

} // namespace

} // namespace ferry::flatfile

FERRY_DEFINE_PLUGIN(Flatfile, ferry::flatfile::FlatFileSource);
