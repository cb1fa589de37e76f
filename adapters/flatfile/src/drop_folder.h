// SPDX-License-Identifier: Apache-2.0
// drop_folder.h — drop-folder mode: new files in, each moved to processed/ or failed/.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "ferry/plugin/stream.h"
#include "ferry/result.h"

#include "options.h"

namespace ferry::flatfile {

/// The first file that is ready (matches the pattern and, if asked, has its done marker), by
/// name order; NotFound when none is waiting.
Result<std::string> first_waiting_file(const DropFolderSpec& folder);

/// A stream over every ready file, oldest name first; `resume` continues inside the file a
/// checkpoint names.
Result<std::unique_ptr<plugin::Stream>> open_drop_folder_stream(const SourceOptions& options,
                                                                const nlohmann::json& resume);

} // namespace ferry::flatfile
