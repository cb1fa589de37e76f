// SPDX-License-Identifier: Apache-2.0
// transforms_charset_test.cpp — placeholder.
#include <catch2/catch.hpp>
