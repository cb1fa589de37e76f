// SPDX-License-Identifier: Apache-2.0
// transforms_privacy_test.cpp — placeholder.
#include <catch2/catch.hpp>
