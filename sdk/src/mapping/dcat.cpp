// SPDX-License-Identifier: Apache-2.0
// dcat.cpp — placeholder until the DCAT export lands.
#include "ferry/dcat.h"
