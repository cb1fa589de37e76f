// SPDX-License-Identifier: Apache-2.0
// transforms_validators_test.cpp — placeholder.
#include <catch2/catch.hpp>
