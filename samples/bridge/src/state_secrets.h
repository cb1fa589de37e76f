// SPDX-License-Identifier: Apache-2.0
// state_secrets.h — secrets the bridge keeps in its state directory: a mapping's pseudonym key
// that no environment variable provides is created there once and reused by every run and every
// export, so pseudonyms stay the same across restarts and joins keep working.
#pragma once

#include <filesystem>
#include <string>

#include "ferry/result.h"

namespace ferry::bridge {

/// The secret `name` from `<dir>/<name>.key`, created when missing (32 random bytes, base64url,
/// file 0600, directory 0700). Safe against a second process creating it at the same moment.
Result<std::string> load_or_create_secret(const std::filesystem::path& dir,
                                          const std::string& name);

/// An operator's explicit rotation: the current key moves to `<name>.key.retired-<UTC time>`
/// and a new one is created. Returns the retired file's path. Pseudonyms change from here on.
Result<std::filesystem::path> rotate_secret(const std::filesystem::path& dir,
                                            const std::string& name);

} // namespace ferry::bridge
