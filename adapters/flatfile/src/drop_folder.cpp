// SPDX-License-Identifier: Apache-2.0
// drop_folder.cpp — drop-folder mode (not yet implemented).
#include "drop_folder.h"

namespace ferry::flatfile {

Result<std::string> first_waiting_file(const DropFolderSpec& /*folder*/) {
    return Status::not_implemented("drop-folder mode is not implemented yet");
}

Result<std::unique_ptr<plugin::Stream>> open_drop_folder_stream(const SourceOptions& /*options*/,
                                                                const nlohmann::json& /*resume*/) {
    return Status::not_implemented("drop-folder mode is not implemented yet");
}

} // namespace ferry::flatfile
