// SPDX-License-Identifier: Apache-2.0
// catalog_files_test.cpp — placeholder.
#include <catch2/catch.hpp>
