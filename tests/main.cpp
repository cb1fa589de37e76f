// SPDX-License-Identifier: Apache-2.0
// main.cpp — the one Catch2 main shared by Ferry's test executables.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
