// SPDX-License-Identifier: Apache-2.0
// dcat_test.cpp — placeholder.
#include <catch2/catch.hpp>
