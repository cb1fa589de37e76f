// SPDX-License-Identifier: Apache-2.0
// ferry/abi_error.h — the one place Status becomes FerryError, and back (ADBC's ToAdbc idea).
#pragma once

#include "ferry/plugin_abi.h"
#include "ferry/status.h"

namespace ferry {

/// Fills `error` (zero-initialised by the caller, or NULL to discard) from a non-OK status and
/// returns its code; for OK it writes nothing and returns FERRY_OK. The receiver releases `error`.
FerryStatus export_status(const Status& status, FerryError* error) noexcept;

/// Turns the other side's answer into a Status: OK for FERRY_OK, otherwise the error's message,
/// location, field, record number, SQLSTATE and native code. Releases `error` in every case.
/// A failure without a message gets "<what> failed with no message".
Status import_error(FerryStatus code, FerryError* error, const char* what);

/// Releases a FerryError if it holds anything; safe on a zero-initialised one.
void release_error(FerryError* error) noexcept;

} // namespace ferry
